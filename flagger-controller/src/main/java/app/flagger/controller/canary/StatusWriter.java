package app.flagger.controller.canary;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.control.ControlStatus;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The Canary status writes the controller makes (Flagger's {@code SyncStatus}, {@code
 * SetStatusPhase}, {@code SetStatusWeight}, ...). Each returns the Canary as stored. {@link
 * CanaryStatusWriter} writes through the API server; tests use an in-memory one.
 */
public interface StatusWriter {
  /** A new Canary: phase Initializing with its condition. */
  Canary setPhaseInitializing(Canary canary);

  /** Phase and counters, plus the target's hash and tracked configs. */
  Canary syncStatus(
      Canary canary,
      TargetController target,
      CanaryPhase phase,
      int weight,
      int failedChecks,
      int iterations);

  Canary setFailedChecks(Canary canary, int value);

  Canary setWeight(Canary canary, int value);

  Canary setIterations(Canary canary, int value);

  /** Flagger's {@code SetStatusPhase}. */
  Canary setPhase(Canary canary, CanaryPhase phase);

  /** Records the problems of an invalid spec in a {@code Validated=False} condition. */
  Canary markInvalid(Canary canary, String problems);

  /**
   * Applies {@code change} to {@code status.control} (read as {@link ControlStatus#EMPTY} when
   * absent; an empty result removes it): a command's acknowledgement and the steering it sets.
   */
  Canary setControl(Canary canary, UnaryOperator<ControlStatus> change);

  /**
   * {@link #setControl} for a {@code retry} command, in the same write: {@code lastAppliedSpec} and
   * {@code failedChecks} are cleared, so the next change detection sees a new revision.
   */
  Canary retry(Canary canary, UnaryOperator<ControlStatus> change);

  /** Any other change of the status (queue place, decision log), written as one write. */
  Canary write(Canary canary, Consumer<StatusBuilder> change);

  /** Reports a Canary the controller wrote some other way (finalizers) as stored. */
  void wrote(Canary stored);

  /**
   * This writer, except that its next write that succeeds also applies {@code extra}, in the same
   * request, and then runs {@code ridden}: a tick's decision log entry goes along with the status
   * write of its transition instead of costing a write of its own. The default carries nothing
   * ({@code ridden} never runs); the caller then writes {@code extra} itself.
   */
  default StatusWriter riding(Consumer<StatusBuilder> extra, Runnable ridden) {
    return this;
  }
}
