package app.flagger.controller.tick;

import app.flagger.model.canary.CanaryPhase;
import java.util.Set;

/** "rollback hooks": a {@code rollback} webhook answering 2xx rolls the run back at once. */
final class ManualRollback implements Step {
  private static final Set<CanaryPhase> PHASES =
      Set.of(CanaryPhase.PROGRESSING, CanaryPhase.WAITING, CanaryPhase.WAITING_PROMOTION);

  private final Gates gates;

  ManualRollback(Gates gates) {
    this.gates = gates;
  }

  @Override
  public Decision run(Tick t) {
    if (PHASES.contains(t.phase()) && gates.rollbackRequested(t)) {
      return new Decision.Rollback(Decision.Cause.MANUAL, "");
    }
    return Decision.CONTINUE;
  }
}
