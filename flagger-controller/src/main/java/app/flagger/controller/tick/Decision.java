package app.flagger.controller.tick;

import app.flagger.controller.canary.Readiness;

/**
 * What a step of the tick says. {@link Continue} hands the tick to the next step; every other
 * variant ends the tick and says what happened, and {@link Transitions} turns it into the status
 * write, the gauges, the event and the alert.
 */
public sealed interface Decision {
  /** Go on with the next step. */
  Decision CONTINUE = new Continue();

  /** Nothing more to do this tick. */
  Decision DONE = new Done();

  record Continue() implements Decision {}

  /** The tick ends with nothing to report (no traffic step left to take). */
  record Done() implements Decision {}

  /** {@code spec.suspend: true}. */
  record Suspended() implements Decision {}

  /** Held by a {@code pause} command ({@code status.control.paused}) until a {@code resume}. */
  record Paused(String by) implements Decision {}

  /** No new revision: the Canary idles, and its phase gauge is refreshed. */
  record Idle() implements Decision {}

  /**
   * Not now: a Warning event and nothing else (a workload not ready yet, a router or target error).
   *
   * @param error logged at error level (Flagger's {@code recordEventErrorf})
   */
  record Wait(String warning, boolean error) implements Decision {
    Wait(String warning) {
      this(warning, false);
    }
  }

  /**
   * A new revision waits for a release slot under the concurrency limit: {@code
   * status.control.queuedSince}, the {@code Queued} condition and a Normal event when its place
   * changes.
   *
   * @param since when it started waiting (RFC 3339)
   * @param message its place, e.g. {@code Waiting for a release slot: 2nd in line, 2 of 2 running
   *     cluster-wide}
   * @param now the time of the tick, for the condition
   */
  record Queued(String since, String message, String now) implements Decision {}

  /** A failed check: {@code failedChecks + 1} and a Warning event. */
  record Halt(String warning) implements Decision {}

  /** A gate webhook said no. */
  record AwaitApproval(Gate gate, String hook, boolean muted) implements Decision {}

  /** The webhook gates of a run. */
  enum Gate {
    /** {@code confirm-rollout}: the Canary waits in phase Waiting. */
    ROLLOUT,
    /** {@code confirm-traffic-increase}: the weight stays. */
    TRAFFIC_INCREASE,
    /** {@code confirm-promotion}: the Canary waits in phase WaitingPromotion. */
    PROMOTION
  }

  /** Traffic back to the primary, target scaled to zero, phase Failed. */
  record Rollback(Cause cause, String detail) implements Decision {}

  /** Why a run is rolled back. */
  enum Cause {
    /** A workload missed its progress deadline; {@code detail} is the readiness message. */
    NOT_READY,
    /** {@code failedChecks} reached the threshold. */
    FAILED_CHECKS,
    /** A {@code rollback} webhook asked for it. */
    MANUAL,
    /** An {@code abort} command; {@code detail} is who asked. */
    ABORTED
  }

  /** The primary missed its deadline while promoting: all traffic stays on the canary, Failed. */
  record PromotionFailed(String reason) implements Decision {}

  /** The primary is ready and routed: phase Initialized. */
  record Initialized() implements Decision {}

  /** A new revision passed confirm-rollout and the canary was scaled up: phase Progressing. */
  record Started() implements Decision {}

  /** Another revision arrived during the analysis: traffic is back on the primary, run reset. */
  record Restarted() implements Decision {}

  /** The canary's weight went up to {@code canaryWeight}. */
  record Advanced(int canaryWeight) implements Decision {}

  /**
   * One more iteration of a blue/green or A/B run.
   *
   * @param iteration the iteration count after this one
   * @param of the run's iterations
   * @param announce whether an {@code Advance ... canary iteration} event says so
   */
  record Iterated(int iteration, int of, boolean announce) implements Decision {}

  /** The target's spec was copied to the primary: phase Promoting. */
  record Promoting() implements Decision {}

  /** Promotion moved traffic back towards the primary by one {@code stepWeightPromotion}. */
  record PromotionShifted(int primaryWeight, int canaryWeight) implements Decision {}

  /** All traffic is back on the primary: phase Finalising. */
  record Finalising() implements Decision {}

  /** The run ended well: phase Succeeded ({@code analysisSkipped} with {@code skipAnalysis}). */
  record Succeeded(boolean analysisSkipped) implements Decision {}

  /** A Wait with a Warning event. */
  static Decision warn(String message) {
    return new Wait(message);
  }

  /** Ready: go on; not ready yet: wait; past the progress deadline: roll back. */
  static Decision of(Readiness r) {
    if (r instanceof Readiness.NotReady n) {
      return n.retriable() ? new Wait(n.reason()) : new Rollback(Cause.NOT_READY, n.reason());
    }
    return CONTINUE;
  }
}
