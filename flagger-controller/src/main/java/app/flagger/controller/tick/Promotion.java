package app.flagger.controller.tick;

import app.flagger.controller.events.CanaryEvents;

/**
 * Copies the target's pod template and configs to the primary (the start of phase Promoting), after
 * the confirm-promotion gates when asked.
 */
final class Promotion {
  private final Gates gates;
  private final CanaryEvents events;

  Promotion(Gates gates, CanaryEvents events) {
    this.gates = gates;
    this.events = events;
  }

  /** The confirm-promotion gates, then {@link #copy}. */
  Decision confirmThenCopy(Tick t) {
    Decision gate = gates.approval(t, Decision.Gate.PROMOTION);
    return gate != Decision.CONTINUE ? gate : copy(t);
  }

  /** Copies the target's spec to the primary. */
  Decision copy(Tick t) {
    events.info(
        t.canary(),
        "Copying " + t.targetKey() + " template spec to " + t.targetName() + "-primary." + t.ns());
    t.target().promote(t.canary());
    return new Decision.Promoting();
  }
}
