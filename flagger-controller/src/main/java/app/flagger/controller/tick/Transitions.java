package app.flagger.controller.tick;

import app.flagger.controller.canary.StatusWriter;
import app.flagger.controller.events.CanaryEvents;
import app.flagger.controller.notifier.Alerter;
import app.flagger.controller.observe.CanaryMetricsRecorder;
import app.flagger.controller.router.Routes;
import app.flagger.model.alert.AlertSeverity;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.control.ControlStatus;
import java.util.function.UnaryOperator;

/**
 * The one owner of what a decision changes: the status write, {@code flagger_canary_status} and
 * {@code flagger_canary_weight}, the event and the alert of every transition, in Flagger's words.
 * The ends of a run (rollback, failed promotion, success) also move traffic back, scale the target
 * down, count the run and call the post-rollout hooks, as Flagger's {@code rollback} and the
 * Finalising step do. With {@code analysis.baseline} a run's start and restart create the same-age
 * baseline afresh and its ends delete it ({@link Baseline}). Router and target failures are thrown;
 * the tick reports them.
 */
public final class Transitions {
  private final StatusWriter status;
  private final CanaryMetricsRecorder recorder;
  private final CanaryEvents events;
  private final Alerter alerter;
  private final Gates gates;
  private final Traffic traffic;

  public Transitions(
      StatusWriter status,
      CanaryMetricsRecorder recorder,
      CanaryEvents events,
      Alerter alerter,
      Gates gates,
      Traffic traffic) {
    this.status = status;
    this.recorder = recorder;
    this.events = events;
    this.alerter = alerter;
    this.gates = gates;
    this.traffic = traffic;
  }

  /** Carries out what {@code d} says happened, then settles the control steering it spent. */
  public void apply(Tick t, Decision d) {
    carryOut(t, d);
    settleControl(t, d);
  }

  private void carryOut(Tick t, Decision d) {
    switch (d) {
      case Decision.Continue c -> {}
      case Decision.Done done -> {}
      case Decision.Suspended s ->
          events.info(t.canary(), "skipping canary run as object is suspended");
      case Decision.Paused p -> events.info(t.canary(), t.key() + " is paused by " + p.by());
      case Decision.Idle i -> gauge(t, t.phase());
      case Decision.Wait w -> {
        if (w.error()) {
          events.error(t.canary(), w.warning());
        } else {
          events.warn(t.canary(), w.warning());
        }
      }
      case Decision.Queued q -> {
        if (ConcurrencyLimit.changes(t.canary(), q)) {
          t.stored(status(t).write(t.canary(), b -> ConcurrencyLimit.queued(b, q)));
          events.info(t.canary(), q.message());
        }
      }
      case Decision.Halt h -> {
        t.stored(status(t).setFailedChecks(t.canary(), t.failedChecks() + 1));
        events.warn(t.canary(), h.warning());
      }
      case Decision.AwaitApproval a -> awaitApproval(t, a);
      case Decision.Rollback r -> rollback(t, r);
      case Decision.PromotionFailed p -> promotionFailed(t, p.reason());
      case Decision.Initialized i -> initialized(t);
      case Decision.Started s -> started(t);
      case Decision.Restarted r -> {
        Baseline.start(t);
        events.info(t.canary(), "New revision detected! Restarting analysis for " + t.targetKey());
        sync(t, CanaryPhase.PROGRESSING, 0);
      }
      case Decision.Advanced a -> {
        t.stored(status(t).setWeight(t.canary(), a.canaryWeight()));
        events.info(t.canary(), "Advance " + t.key() + " canary weight " + a.canaryWeight());
      }
      case Decision.Iterated i -> {
        t.stored(status(t).setIterations(t.canary(), i.iteration()));
        if (i.announce()) {
          events.info(
              t.canary(),
              "Advance " + t.key() + " canary iteration " + i.iteration() + "/" + i.of());
        }
      }
      case Decision.Promoting p -> phase(t, CanaryPhase.PROMOTING);
      case Decision.PromotionShifted s -> {
        events.info(t.canary(), "Advance " + t.key() + " primary weight " + s.primaryWeight());
        if (s.primaryWeight() == 100) {
          phase(t, CanaryPhase.FINALISING);
        } else {
          t.stored(status(t).setWeight(t.canary(), s.canaryWeight()));
        }
      }
      case Decision.Finalising f -> phase(t, CanaryPhase.FINALISING);
      case Decision.Succeeded s -> succeeded(t, s.analysisSkipped());
    }
  }

  /**
   * A Failed Canary that may start again: its status is synced first (hash and tracked configs of
   * the target as it is now), as Flagger's {@code shouldAdvance} does.
   */
  public void refreshFailed(Tick t) {
    t.stored(
        status(t)
            .syncStatus(
                t.canary(),
                t.target(),
                CanaryPhase.FAILED,
                t.canaryWeight(),
                t.failedChecks(),
                t.iterations()));
  }

  /**
   * A control command handled ({@link Commands}): its acknowledgement and the steering it sets in
   * one write of {@code status.control}, then its event.
   */
  void acknowledge(Tick t, Commands.Acknowledgement ack) {
    t.stored(
        ack.retry()
            ? status(t).retry(t.canary(), ack.change())
            : status(t).setControl(t.canary(), ack.change()));
    if (ack.warning()) {
      events.warn(t.canary(), ack.message());
    } else {
      events.info(t.canary(), ack.message());
    }
  }

  /**
   * The steering a decision spent: a step taken spends a pending promote and the approvals used,
   * promotion a pending full promotion, the end of a release all that is left (abort included).
   */
  private void settleControl(Tick t, Decision d) {
    UnaryOperator<ControlStatus> change =
        switch (d) {
          case Decision.Rollback r -> Steering::released;
          case Decision.PromotionFailed p -> Steering::released;
          case Decision.Succeeded s -> Steering::released;
          case Decision.Started s -> c -> Steering.stepped(c, t.approvalsUsed(), false);
          case Decision.Advanced a -> c -> Steering.stepped(c, t.approvalsUsed(), false);
          case Decision.Iterated i -> c -> Steering.stepped(c, t.approvalsUsed(), false);
          case Decision.Promoting p -> c -> Steering.stepped(c, t.approvalsUsed(), true);
          default -> null;
        };
    if (change != null && !change.apply(t.control()).equals(t.control())) {
      t.stored(status(t).setControl(t.canary(), change));
    }
  }

  /** The writer of {@code t}'s status: the tick's own when its records ride along. */
  private StatusWriter status(Tick t) {
    return t.writer(status);
  }

  /** A new Canary: phase Initializing (the informer path, before any tick). */
  public Canary initializing(Canary canary) {
    return status.setPhaseInitializing(canary);
  }

  /** A Canary deleted with {@code revertOnDeletion}: phase Terminating. */
  public Canary terminating(Canary canary) {
    Canary stored = status.setPhase(canary, CanaryPhase.TERMINATING);
    events.info(stored, "Terminating canary " + stored.key());
    return stored;
  }

  private void awaitApproval(Tick t, Decision.AwaitApproval a) {
    switch (a.gate()) {
      case ROLLOUT -> {
        if (t.phase() != CanaryPhase.WAITING) {
          phase(t, CanaryPhase.WAITING);
          halt(t, a, "waiting for approval ", "Canary is waiting for approval.");
        }
      }
      case TRAFFIC_INCREASE ->
          halt(
              t,
              a,
              "waiting for traffic increase approval ",
              "Canary traffic increase is waiting for approval.");
      case PROMOTION -> {
        if (t.phase() != CanaryPhase.WAITING_PROMOTION) {
          phase(t, CanaryPhase.WAITING_PROMOTION);
          halt(
              t, a, "waiting for promotion approval ", "Canary promotion is waiting for approval.");
        } else {
          t.stored(status(t).setIterations(t.canary(), t.analysis().iterationsOrZero() - 1));
        }
      }
    }
  }

  private void halt(Tick t, Decision.AwaitApproval a, String waiting, String alert) {
    events.warn(t.canary(), "Halt " + t.key() + " advancement " + waiting + a.hook());
    if (!a.muted()) {
      alerter.alert(t.canary(), alert, false, AlertSeverity.WARN);
    }
  }

  /** Flagger's {@code rollback}: traffic to the primary, target scaled down, phase Failed. */
  private void rollback(Tick t, Decision.Rollback r) {
    switch (r.cause()) {
      case MANUAL -> {
        events.warn(t.canary(), "Rolling back " + t.key() + " manual webhook invoked");
        alerter.alert(t.canary(), "Rolling back manual webhook invoked", false, AlertSeverity.WARN);
      }
      case ABORTED -> {
        events.warn(t.canary(), "Rolling back " + t.key() + ": aborted by " + r.detail());
        alerter.alert(
            t.canary(), "Rolling back: aborted by " + r.detail(), false, AlertSeverity.WARN);
      }
      case NOT_READY -> events.warn(t.canary(), r.detail());
      case FAILED_CHECKS -> {}
    }
    if (t.failedChecks() >= t.analysis().thresholdOrDefault()) {
      events.warn(
          t.canary(),
          "Rolling back " + t.key() + " failed checks threshold reached " + t.failedChecks());
      alerter.alert(
          t.canary(),
          "Failed checks threshold reached " + t.failedChecks(),
          false,
          AlertSeverity.ERROR);
    }
    traffic.route(t, Routes.allPrimary());
    events.warn(t.canary(), CanaryPhase.FAILED, "Canary failed! Scaling down " + t.key());
    t.target().scaleToZero(t.canary());
    Baseline.end(t);
    sync(t, CanaryPhase.FAILED, 0);
    failed(t);
  }

  /** Flagger's {@code handleFailedPromotion}: the canary keeps all traffic, phase Failed. */
  private void promotionFailed(Tick t, String reason) {
    events.warn(t.canary(), reason);
    events.warn(t.canary(), "Promotion of " + t.key() + " failed, primary not ready: " + reason);
    alerter.alert(
        t.canary(), "Promotion failed, primary not ready: " + reason, false, AlertSeverity.ERROR);
    traffic.route(t, new Routes(0, 100, false));
    Baseline.end(t);
    t.stored(
        status(t)
            .syncStatus(
                t.canary(), t.target(), CanaryPhase.FAILED, 100, t.failedChecks(), t.iterations()));
    gauge(t, CanaryPhase.FAILED);
    failed(t);
  }

  private void failed(Tick t) {
    recorder.incFailures(t.targetName(), t.ns(), t.canary().getSpec().strategy());
    gates.postRollout(t.canary(), CanaryPhase.FAILED);
  }

  private void initialized(Tick t) {
    sync(t, CanaryPhase.INITIALIZED, 0);
    events.info(t.canary(), "Initialization done! " + t.key());
    alerter.alert(
        t.canary(),
        "New " + t.targetKind() + " detected, initialization completed.",
        true,
        AlertSeverity.INFO);
  }

  private void started(Tick t) {
    Baseline.start(t);
    events.info(
        t.canary(), CanaryPhase.PROGRESSING, "New revision detected! Scaling up " + t.targetKey());
    alerter.alert(
        t.canary(),
        "New revision detected, progressing canary analysis.",
        true,
        AlertSeverity.INFO);
    sync(t, CanaryPhase.PROGRESSING, 0);
  }

  private void succeeded(Tick t, boolean skipped) {
    Baseline.end(t);
    phase(t, CanaryPhase.SUCCEEDED);
    recorder.incSuccesses(t.targetName(), t.ns(), t.canary().getSpec().strategy(), skipped);
    gates.postRollout(t.canary(), CanaryPhase.SUCCEEDED);
    if (skipped) {
      events.info(
          t.canary(), "Promotion completed! Canary analysis was skipped for " + t.targetKey());
      alerter.alert(
          t.canary(),
          "Canary analysis was skipped, promotion finished.",
          false,
          AlertSeverity.INFO);
    } else {
      events.info(t.canary(), "Promotion completed! Scaling down " + t.targetKey());
      alerter.alert(
          t.canary(),
          "Canary analysis completed successfully, promotion finished.",
          false,
          AlertSeverity.INFO);
    }
  }

  /** Flagger's {@code SyncStatus} with counters reset, and the phase gauge. */
  private void sync(Tick t, CanaryPhase phase, int weight) {
    t.stored(status(t).syncStatus(t.canary(), t.target(), phase, weight, 0, 0));
    gauge(t, phase);
  }

  /** Flagger's {@code SetStatusPhase}, and the phase gauge. */
  private void phase(Tick t, CanaryPhase phase) {
    t.stored(status(t).setPhase(t.canary(), phase));
    gauge(t, phase);
  }

  private void gauge(Tick t, CanaryPhase phase) {
    recorder.setStatus(t.targetName(), t.ns(), phase);
  }
}
