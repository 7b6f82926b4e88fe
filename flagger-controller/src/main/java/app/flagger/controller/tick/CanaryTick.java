package app.flagger.controller.tick;

import app.flagger.controller.canary.ScalerReconciler;
import app.flagger.controller.canary.TargetException;
import app.flagger.controller.events.CanaryEvents;
import app.flagger.controller.kube.KubeErrors;
import app.flagger.controller.leader.NotLeaderException;
import app.flagger.controller.metrics.MetricAnalysis;
import app.flagger.controller.observe.CanaryMetricsRecorder;
import app.flagger.controller.router.RouterException;
import app.flagger.model.provider.MeshProvider;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One tick of a Canary (Flagger's {@code advanceCanary}) as the ordered list of its steps, named as
 * in the "One tick" table of docs/usage/how-it-works.md. The steps run in order until one says
 * anything but {@link Decision#CONTINUE}; {@link Transitions} then carries out what it said, and
 * the tick ends. A router, target or API failure in a step or a transition ends the tick with a
 * Warning event carrying its message.
 */
public final class CanaryTick {
  private static final Logger LOG = Logger.getLogger(CanaryTick.class.getName());

  /** The first step whose time counts in {@code flagger_canary_duration_seconds}. */
  static final String TIMED_FROM = "analysis";

  private static final Decision SUSPENDED = new Decision.Suspended();
  private static final Decision INITIALIZED = new Decision.Initialized();

  /** A step and the name the docs give it. */
  public record Named(String name, Step step) {}

  private final List<Named> steps;
  private final Transitions transitions;
  private final CanaryEvents events;
  private final CanaryMetricsRecorder recorder;
  private final Clock clock;
  private final TickRecords records;

  /** {@code records}: the concurrency limit and the decision log ({@link TickRecords#none}). */
  public CanaryTick(
      Transitions transitions,
      Gates gates,
      Traffic traffic,
      MetricAnalysis metrics,
      ScalerReconciler scaler,
      CanaryEvents events,
      CanaryMetricsRecorder recorder,
      Clock clock,
      TickRecords records) {
    this.records = records;
    this.transitions = transitions;
    this.events = events;
    this.recorder = recorder;
    this.clock = clock;
    Promotion promotion = new Promotion(gates, events);
    this.steps =
        List.of(
            step("suspend", t -> t.canary().getSpec().suspended() ? SUSPENDED : Decision.CONTINUE),
            step("commands", new Commands(transitions, clock)),
            step("target metadata", doing(t -> t.target().metadata(t.canary()))),
            step("canary services", doing(t -> t.kubeRouter().initialize(t.canary()))),
            step("metric providers", new CheckMetricProviders(metrics, events)),
            step("App Mesh objects", doing(t -> reconcileMesh(t, true))),
            step("primary", new InitializePrimary()),
            step("primary autoscaler", doing(t -> scaler.reconcilePrimaryScaler(t.canary(), true))),
            step("apex service", doing(t -> t.kubeRouter().reconcile(t.canary()))),
            step("scale down target", new ScaleDownTarget()),
            step("mesh objects", doing(t -> reconcileMesh(t, false))),
            step("initialized", t -> t.initializing() ? INITIALIZED : Decision.CONTINUE),
            step("change detection", new DetectChanges(transitions)),
            step("primary ready", new CheckPrimaryReady()),
            step("routes", new ReadRoutes(recorder)),
            step("concurrency limit", records.limit()),
            step("confirm-rollout", new ConfirmRollout(gates, recorder)),
            step("new revision", new RestartOnNewRevision(traffic)),
            step("canary ready", CanaryTick::canaryReady),
            step("skip analysis", new SkipAnalysis(traffic, promotion, scaler)),
            step("rollback hooks", new ManualRollback(gates)),
            step("promotion", new ShiftTrafficToPrimary(scaler, traffic, events)),
            step("finalising", new Finalise()),
            step("failed checks", new CheckFailedChecks()),
            step(TIMED_FROM, new RunAnalysis(gates, metrics, recorder, events, promotion)),
            step(
                "traffic",
                new AdvanceTraffic(
                    new CanaryStrategy(gates, traffic, promotion),
                    new BlueGreenStrategy(gates, traffic, promotion, events),
                    new AbTestingStrategy(gates, traffic, promotion),
                    events)));
  }

  /** The steps, in order. */
  public List<Named> steps() {
    return steps;
  }

  /** Runs the steps of one tick; returns the decision that ended it. */
  public Decision run(Tick t) {
    DecisionLog.Before before = DecisionLog.Before.of(t);
    Decision decision = steps(t, before);
    try {
      records.after(t, before, decision);
    } catch (RuntimeException e) {
      // never fails the tick: a lost entry is one line missing from the log, and the queue
      // clean-up is retried by the next tick
      LOG.log(Level.WARNING, "tick of " + t.key() + ": decision log not written", e);
    }
    return decision;
  }

  private Decision steps(Tick t, DecisionLog.Before before) {
    boolean timed = false;
    Decision decision = Decision.DONE;
    try {
      for (Named named : steps) {
        timed |= named.name().equals(TIMED_FROM);
        decision = named.step().run(t);
        if (decision != Decision.CONTINUE) {
          records.ride(t, before, decision);
          transitions.apply(t, decision);
          return decision;
        }
      }
      return decision;
    } catch (TargetException | RouterException e) {
      events.warn(t.canary(), e.getMessage());
      return new Decision.Wait(e.getMessage());
    } catch (KubernetesClientException e) {
      if (refusedAsNotLeader(e)) {
        LOG.info(() -> "tick of " + t.key() + " stopped: this replica no longer holds the Lease");
        return Decision.DONE;
      }
      events.warn(t.canary(), KubeErrors.message(e));
      return new Decision.Wait(KubeErrors.message(e));
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "tick of " + t.key() + " failed: " + e.getMessage(), e);
      return new Decision.Wait(String.valueOf(e.getMessage()));
    } finally {
      if (timed) {
        recorder.setDuration(t.targetName(), t.ns(), Duration.between(t.begin(), clock.instant()));
      }
    }
  }

  /** A write the fence refused: the tick stops quietly, the new leader carries on. */
  private static boolean refusedAsNotLeader(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof NotLeaderException) {
        return true;
      }
    }
    return false;
  }

  /** The canary, then (with {@code analysis.baseline}) the baseline, finished rolling out. */
  private static Decision canaryReady(Tick t) {
    Decision canary = Decision.of(t.target().isCanaryReady(t.canary()));
    return canary != Decision.CONTINUE ? canary : Baseline.ready(t);
  }

  /** App Mesh objects come before the primary so its pods get the sidecar; the others after. */
  private static void reconcileMesh(Tick t, boolean appMeshStep) {
    if (t.provider().is(MeshProvider.APPMESH) == appMeshStep) {
      t.meshRouter().reconcile(t.canary());
    }
  }

  private static Named step(String name, Step step) {
    return new Named(name, step);
  }

  /** A step whose whole job is a call; it goes on unless the call throws. */
  private static Step doing(Consumer<Tick> job) {
    return t -> {
      job.accept(t);
      return Decision.CONTINUE;
    };
  }
}
