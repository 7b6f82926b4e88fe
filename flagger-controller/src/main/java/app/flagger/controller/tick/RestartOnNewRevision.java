package app.flagger.controller.tick;

import app.flagger.controller.router.Routes;
import app.flagger.model.canary.CanaryPhase;

/**
 * "new revision": another change of the target or its configs during the analysis sends all traffic
 * back to the primary and restarts the run.
 */
final class RestartOnNewRevision implements Step {
  private final Traffic traffic;

  RestartOnNewRevision(Traffic traffic) {
    this.traffic = traffic;
  }

  @Override
  public Decision run(Tick t) {
    if (t.phase() != CanaryPhase.PROGRESSING && t.phase() != CanaryPhase.WAITING_PROMOTION) {
      return Decision.CONTINUE;
    }
    if (!t.target().hasTargetChanged(t.canary())
        && !t.target().haveDependenciesChanged(t.canary())) {
      return Decision.CONTINUE;
    }
    traffic.route(t, Routes.allPrimary());
    return new Decision.Restarted();
  }
}
