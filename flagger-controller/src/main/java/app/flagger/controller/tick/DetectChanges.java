package app.flagger.controller.tick;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import java.util.Set;

/**
 * "change detection" (Flagger's {@code shouldAdvance}): a running Canary goes on; an idle one only
 * when its pod template or a tracked ConfigMap/Secret changed. A Failed Canary's status is synced
 * first; the change is judged against the status read at the start of the tick, as in Flagger. A
 * Canary waiting for a release slot ({@link ConcurrencyLimit}) still has its new revision.
 */
final class DetectChanges implements Step {
  private static final Set<CanaryPhase> RUNNING =
      Set.of(
          CanaryPhase.PROGRESSING,
          CanaryPhase.WAITING,
          CanaryPhase.WAITING_PROMOTION,
          CanaryPhase.PROMOTING,
          CanaryPhase.FINALISING);

  private final Transitions transitions;

  DetectChanges(Transitions transitions) {
    this.transitions = transitions;
  }

  @Override
  public Decision run(Tick t) {
    if (RUNNING.contains(t.phase())) {
      return Decision.CONTINUE;
    }
    Canary read = t.canary();
    if (t.phase() == CanaryPhase.FAILED) {
      transitions.refreshFailed(t);
    }
    // a Failed Canary's sync above took in its new revision: one waiting for a release slot
    // (concurrency limit) still has that revision to release
    boolean changed =
        ConcurrencyLimit.queued(read)
            || t.target().hasTargetChanged(read)
            || t.target().haveDependenciesChanged(read);
    return changed ? Decision.CONTINUE : new Decision.Idle();
  }
}
