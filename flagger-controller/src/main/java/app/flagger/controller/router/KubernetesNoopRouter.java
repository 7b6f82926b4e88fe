package app.flagger.controller.router;

import app.flagger.model.canary.Canary;

/**
 * The Kubernetes router of Service targets (Flagger's {@code KubernetesNoopRouter}): the target
 * Service is the user's and its {@code -primary} and {@code -canary} copies are made by the target
 * controller, so there is nothing to create, point or revert.
 */
public final class KubernetesNoopRouter implements KubernetesRouter {
  @Override
  public void initialize(Canary canary) {}

  @Override
  public void reconcile(Canary canary) {}

  @Override
  public void finalize(Canary canary) {}
}
