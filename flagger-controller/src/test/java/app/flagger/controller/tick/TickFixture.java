package app.flagger.controller.tick;

import app.flagger.controller.canary.ScalerReconciler;
import app.flagger.controller.events.CanaryEvents;
import app.flagger.controller.metrics.MetricAnalysis;
import app.flagger.controller.observe.CanaryMetricsRecorder;
import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.controller.router.MeshRouter;
import app.flagger.controller.router.Routes;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.FakeKubeRouter;
import app.flagger.controller.support.FakeMeshRouter;
import app.flagger.controller.support.FakeTargetController;
import app.flagger.controller.support.MutableClock;
import app.flagger.controller.support.RecordingAlerter;
import app.flagger.controller.support.RecordingEvents;
import app.flagger.controller.support.RecordingStatusWriter;
import app.flagger.controller.support.RegistryReader;
import app.flagger.controller.support.ScriptedWebhooks;
import app.flagger.controller.webhook.HookRunner;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.metrics.FlaggerMetrics;
import app.flagger.model.provider.Provider;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.helidon.metrics.api.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tick on fakes only: target controller, routers, status writer, webhooks, alerts, metrics and
 * events all in memory, so steps, transitions and whole ticks are tested without an API server.
 * Each fixture has its own namespace, so the shared meter registry never mixes two fixtures'
 * series.
 */
final class TickFixture {
  private static final AtomicInteger SEQ = new AtomicInteger();

  final String ns = "tick-" + SEQ.incrementAndGet();
  final MutableClock clock = MutableClock.atEpochDay();
  final RecordingEvents events = new RecordingEvents();
  final CanaryEvents canaryEvents = new CanaryEvents(clock, List.of(events));
  final RecordingStatusWriter status = new RecordingStatusWriter();
  final RecordingAlerter alerts = new RecordingAlerter();
  final ScriptedWebhooks hooks = new ScriptedWebhooks();
  final FakeTargetController target = new FakeTargetController();
  final FakeKubeRouter kubeRouter = new FakeKubeRouter();
  final FakeMeshRouter mesh = new FakeMeshRouter();
  final MeterRegistry registry = MeterRegistry.create();
  final CanaryMetricsRecorder recorder = new CanaryMetricsRecorder(registry);
  final List<String> scaler = new ArrayList<>();
  final ScalerReconciler scalerReconciler = (c, init) -> scaler.add("primary scaler " + init);

  /** The values the next metric checks read. */
  List<MetricAnalysis.ObservedValue> metricValues =
      List.of(new MetricAnalysis.ObservedValue("request-success-rate", 99));

  /** The next metric check's failure text; empty: the checks pass. */
  Optional<String> metricFailure = Optional.empty();

  /** The samples the next judge reads; none by default. */
  MetricAnalysis.Comparisons comparisons = MetricAnalysis.Comparisons.NONE;

  /** The window ends the judge asked for. */
  final List<java.time.Instant> compared = new ArrayList<>();

  final MetricAnalysis metrics =
      new MetricAnalysis() {
        @Override
        public Optional<String> checkProviders(Canary canary) {
          return Optional.empty();
        }

        @Override
        public Result run(Canary canary) {
          return new Result(metricValues, metricFailure);
        }

        @Override
        public Comparisons compare(Canary canary, java.time.Instant end) {
          compared.add(end);
          return comparisons;
        }
      };

  final Gates gates =
      new Gates(new HookRunner(hooks, new ControllerMetrics(registry)), canaryEvents);
  final Traffic traffic = new Traffic(recorder);
  final Transitions transitions =
      new Transitions(status, recorder, canaryEvents, alerts, gates, traffic);
  final CanaryTick tick = tickWith(TickRecords.none(clock));

  /** A tick with these records (concurrency limit, decision log) and the same collaborators. */
  CanaryTick tickWith(TickRecords records) {
    return new CanaryTick(
        transitions,
        gates,
        traffic,
        metrics,
        scalerReconciler,
        canaryEvents,
        recorder,
        clock,
        records);
  }

  /** podinfo in this fixture's namespace with {@code spec} and the status given. */
  Canary canary(CanarySpec spec, CanaryPhase phase, int weight, int failedChecks, int iterations) {
    Canary c = new Canary();
    c.setMetadata(new ObjectMetaBuilder().withName(CanaryFixture.NAME).withNamespace(ns).build());
    c.setSpec(spec);
    return RecordingStatusWriter.with(c, phase, weight, failedChecks, iterations);
  }

  Tick tick(Canary c) {
    return tick(c, mesh);
  }

  Tick tick(Canary c, MeshRouter router) {
    return new Tick(
        c,
        Provider.resolve(c.getSpec().provider(), "istio"),
        target,
        kubeRouter,
        router,
        clock.instant());
  }

  /** Runs a whole tick of {@code c}. */
  Decision run(Canary c) {
    return tick.run(tick(c));
  }

  /** Runs one named step of the tick on {@code t}. */
  Decision step(String name, Tick t) {
    return tick.steps().stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no step " + name))
        .step()
        .run(t);
  }

  /** Sets the split the mesh router applies to podinfo here. */
  void setRoutes(Routes routes) {
    mesh.setRoutes(named(), routes);
  }

  /** The split the mesh router applies to podinfo here. */
  Routes routes() {
    return mesh.getRoutes(named());
  }

  private Canary named() {
    Canary c = new Canary();
    c.setMetadata(new ObjectMetaBuilder().withName(CanaryFixture.NAME).withNamespace(ns).build());
    return c;
  }

  /** {@code <key>} of podinfo here. */
  String key() {
    return CanaryFixture.NAME + "." + ns;
  }

  double statusGauge() {
    return new RegistryReader(registry)
        .gauge(
            FlaggerMetrics.CANARY_STATUS.registrationName(),
            Map.of("name", CanaryFixture.NAME, "namespace", ns));
  }

  double weightGauge(String workload) {
    return new RegistryReader(registry)
        .gauge(
            FlaggerMetrics.CANARY_WEIGHT.registrationName(),
            Map.of("workload", workload, "namespace", ns));
  }
}
