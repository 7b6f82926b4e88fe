package app.flagger.model.control;

import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.common.StringEnum;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** What a {@link ControlCommand} asks for, and the phases in which it makes sense. */
public enum ControlAction implements StringEnum {
  /**
   * Advance one step at the next tick: past a pause or a closed gate, without counting that tick's
   * checks.
   */
  PROMOTE("promote", CanaryPhases.ANALYSING),
  /** Skip the remaining steps and promote the canary now. */
  PROMOTE_FULL("promote-full", CanaryPhases.ANALYSING),
  /** Roll back now; the release ends Failed. */
  ABORT("abort", CanaryPhases.ANALYSING),
  /** Analyse a Failed release again without a spec change. */
  RETRY("retry", EnumSet.of(CanaryPhase.FAILED)),
  /** Hold at the current step until {@link #RESUME}. */
  PAUSE("pause", CanaryPhases.ANALYSING),
  /** Continue after {@link #PAUSE}. */
  RESUME("resume", CanaryPhases.ANALYSING),
  /** Open a manual gate (the command's {@code gate}) once, as an approving load tester would. */
  APPROVE("approve", CanaryPhases.GATED);

  private final String value;
  private final Set<CanaryPhase> phases;

  ControlAction(String value, Set<CanaryPhase> phases) {
    this.value = value;
    this.phases = phases;
  }

  @Override
  public String value() {
    return value;
  }

  /** The phases in which the controller carries it out; in any other it is ignored. */
  public Set<CanaryPhase> phases() {
    return phases;
  }

  public static Optional<ControlAction> parse(String s) {
    return StringEnum.parse(ControlAction.class, s);
  }

  /** Phase sets, in a holder because an enum constant cannot refer to a static field. */
  private static final class CanaryPhases {
    /** A release under analysis; once Promoting it can no longer be steered. */
    static final Set<CanaryPhase> ANALYSING =
        EnumSet.of(CanaryPhase.WAITING, CanaryPhase.PROGRESSING, CanaryPhase.WAITING_PROMOTION);

    /**
     * Where a gate can be asked: a new revision's confirm-rollout (from Initialized, Succeeded or
     * Failed, then Waiting), confirm-traffic-increase while Progressing, confirm-promotion while
     * Progressing or WaitingPromotion.
     */
    static final Set<CanaryPhase> GATED =
        EnumSet.of(
            CanaryPhase.INITIALIZED,
            CanaryPhase.SUCCEEDED,
            CanaryPhase.FAILED,
            CanaryPhase.WAITING,
            CanaryPhase.PROGRESSING,
            CanaryPhase.WAITING_PROMOTION);
  }
}
