package app.flagger.controller.router;

import app.flagger.model.canary.Canary;

/**
 * Routes traffic between the primary and the canary through a mesh or ingress (Flagger's {@code
 * router.Interface}). One implementation per provider: {@code NopRouter} for {@code kubernetes},
 * {@code IstioRouter}, and so on. Failures are {@link RouterException}s.
 */
public interface MeshRouter {
  /** Creates or updates the provider's objects (VirtualService, DestinationRules, ...). */
  void reconcile(Canary canary);

  /** Applies a traffic split. */
  void setRoutes(Canary canary, Routes routes);

  /** Reads the traffic split currently applied. */
  Routes getRoutes(Canary canary);

  /** Reverts the provider's objects when the Canary is deleted with {@code revertOnDeletion}. */
  void finalize(Canary canary);
}
