package app.flagger.controller.tick;

import app.flagger.model.canary.CanaryPhase;

/** "finalising": the canary is scaled to zero and the run ends in Succeeded. */
final class Finalise implements Step {
  @Override
  public Decision run(Tick t) {
    if (t.phase() != CanaryPhase.FINALISING) {
      return Decision.CONTINUE;
    }
    t.target().scaleToZero(t.canary());
    return new Decision.Succeeded(false);
  }
}
