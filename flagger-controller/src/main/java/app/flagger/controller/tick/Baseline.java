package app.flagger.controller.tick;

import app.flagger.model.canary.CanaryPhase;

/**
 * The same-age baseline of a run ({@code analysis.baseline: true}): the Deployment {@code
 * <target>-baseline} (the primary's spec, the canary's replicas) and the Service {@code
 * <apex>-baseline} are created afresh when a run starts or restarts on a new revision, must be
 * ready before the analysis goes on, and are deleted when the run ends (promotion, rollback, failed
 * promotion). Canaries without a baseline are not touched.
 */
final class Baseline {
  private Baseline() {}

  /** A run starts (or restarts): a fresh baseline, the same age as the canary. */
  static void start(Tick t) {
    if (!used(t) || t.skipAnalysis()) {
      return;
    }
    t.target().startBaseline(t.canary());
    t.kubeRouter().initializeBaseline(t.canary());
  }

  /** A run ended: the baseline's Deployment and Service are deleted. */
  static void end(Tick t) {
    if (!used(t)) {
      return;
    }
    t.target().deleteBaseline(t.canary());
    t.kubeRouter().deleteBaseline(t.canary());
  }

  /**
   * Part of "canary ready": while the analysis runs, the baseline must have finished rolling out (a
   * Deployment or Service that is missing, say deleted by hand, is created, and waited for).
   */
  static Decision ready(Tick t) {
    if (!used(t) || t.skipAnalysis() || t.phase() != CanaryPhase.PROGRESSING) {
      return Decision.CONTINUE;
    }
    t.kubeRouter().initializeBaseline(t.canary());
    return Decision.of(t.target().isBaselineReady(t.canary()));
  }

  private static boolean used(Tick t) {
    return t.analysis().usesBaseline();
  }
}
