package app.flagger.controller.router;

import app.flagger.model.canary.Canary;

/**
 * The mesh router of the {@code kubernetes} provider: no objects, no weights. {@code getRoutes}
 * reports all traffic on the canary once an iteration ran, as Flagger's {@code NopRouter}.
 */
public final class NopRouter implements MeshRouter {
  @Override
  public void reconcile(Canary canary) {}

  @Override
  public void setRoutes(Canary canary, Routes routes) {}

  @Override
  public Routes getRoutes(Canary canary) {
    boolean iterated = canary.getStatus() != null && canary.getStatus().iterationsOrZero() > 0;
    return iterated ? new Routes(0, 100, false) : Routes.allPrimary();
  }

  @Override
  public void finalize(Canary canary) {}
}
