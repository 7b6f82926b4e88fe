package app.flagger.controller.tick;

import app.flagger.controller.canary.Readiness;
import app.flagger.model.canary.CanaryPhase;

/**
 * "primary ready": the primary must be ready. Past its deadline the run is rolled back, or, while
 * promoting (the canary then being the only healthy copy), fails with all traffic on the canary.
 */
final class CheckPrimaryReady implements Step {
  @Override
  public Decision run(Tick t) {
    if (t.skipAnalysis()) {
      return Decision.CONTINUE;
    }
    Readiness r = t.target().isPrimaryReady(t.canary());
    if (r instanceof Readiness.NotReady n
        && !n.retriable()
        && (t.phase() == CanaryPhase.PROMOTING || t.phase() == CanaryPhase.FINALISING)) {
      return new Decision.PromotionFailed(n.reason());
    }
    return Decision.of(r);
  }
}
