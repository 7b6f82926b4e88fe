package app.flagger.controller.tick;

import app.flagger.model.canary.CanaryPhase;

/** "failed checks": an analysis whose failed checks reached the threshold is rolled back. */
final class CheckFailedChecks implements Step {
  @Override
  public Decision run(Tick t) {
    boolean analysing =
        t.phase() == CanaryPhase.PROGRESSING || t.phase() == CanaryPhase.WAITING_PROMOTION;
    if (analysing && t.failedChecks() >= t.analysis().thresholdOrDefault()) {
      return new Decision.Rollback(Decision.Cause.FAILED_CHECKS, "");
    }
    return Decision.CONTINUE;
  }
}
