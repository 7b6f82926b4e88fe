package app.flagger.controller.bench;

import app.flagger.controller.ControllerConfig;
import app.flagger.controller.FlaggerController;
import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.controller.observe.ProcessStats;
import app.flagger.controller.scheduler.ExecutorJobScheduler;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.Crds;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryService;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.common.LocalObjectReference;
import app.flagger.model.metrics.FlaggerMetrics;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.helidon.metrics.api.Bucket;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Timer;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * {@code make bench}: N Canaries (default 1,000) on the in-memory API server, each ticking every 10
 * s, with a fake deployment controller. Prints tick lateness p50/p99, CPU seconds per 1,000 ticks
 * and RSS. Not a timed test: it asserts nothing. Run with {@code mvn -B -pl flagger-controller -am
 * verify -Pit -Dtest=CanaryBenchIT -Dsurefire.failIfNoSpecifiedTests=false -Dbench.canaries=1000
 * -Dbench.seconds=120}. The API server runs in the same JVM, so CPU and RSS include it: they are
 * upper bounds for the controller.
 */
class CanaryBenchIT {
  static final int CANARIES = Integer.getInteger("bench.canaries", 1000);
  static final int SECONDS = Integer.getInteger("bench.seconds", 90);
  static final String NS = "bench";

  @Test
  void thousandCanaries() throws Exception {
    // the in-process API server logs every request at INFO: not the controller's cost
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver")
        .setLevel(java.util.logging.Level.WARNING);
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    KubernetesClient client = server.createClient();
    Crds.register(client);
    for (int i = 0; i < CANARIES; i++) {
      seed(client, "app-" + i);
    }
    MeterRegistry registry = MeterRegistry.create();
    ControllerMetrics metrics = new ControllerMetrics(registry);
    ControllerConfig config = ControllerConfig.defaults().withMeshProvider("kubernetes");
    FlaggerController controller =
        FlaggerController.builder()
            .client(client)
            .config(config)
            .clock(Clock.systemUTC())
            .registry(registry)
            .controllerMetrics(metrics)
            .jobScheduler(new ExecutorJobScheduler(2, metrics))
            .build();
    controller.start();
    Thread deploymentController =
        Thread.ofPlatform().daemon().start(() -> markReadyForever(client));
    long initialized = awaitInitialized(client);
    Timer lateness =
        registry
            .timer(FlaggerMetrics.CONTROLLER_TICK_LATENESS.registrationName(), List.of())
            .orElseThrow();
    long ticks0 = lateness.count();
    long cpu0 = ProcessStats.cpuNanos();
    Map<Double, Long> buckets0 = buckets(lateness);
    Thread.sleep(SECONDS * 1000L);
    long ticks = lateness.count() - ticks0;
    double cpuSeconds = (ProcessStats.cpuNanos() - cpu0) / 1e9;
    Map<Double, Long> buckets1 = buckets(lateness);
    System.out.printf(
        "BENCH canaries=%d initialized=%d seconds=%d ticks=%d expectedTicks=%d latenessP50<=%.3fs latenessP99<=%.3fs latenessMax=%.3fs"
            + " cpuSecondsPer1000Ticks=%.2f cpuCores=%.2f rssMB=%d heapMB=%d%n",
        CANARIES,
        initialized,
        SECONDS,
        ticks,
        CANARIES * SECONDS / 10,
        percentile(buckets0, buckets1, 0.50),
        percentile(buckets0, buckets1, 0.99),
        lateness.max(java.util.concurrent.TimeUnit.SECONDS),
        cpuSeconds * 1000.0 / Math.max(1, ticks),
        cpuSeconds / SECONDS,
        ProcessStats.residentBytes() >> 20,
        ProcessStats.heapUsedBytes() >> 20);
    deploymentController.interrupt();
    controller.close();
    client.close();
    server.destroy();
  }

  /** Waits (at most 3 minutes) until every Canary is Initialized; returns how many are. */
  static long awaitInitialized(KubernetesClient client) throws InterruptedException {
    long n = 0;
    for (int i = 0; i < 180 && n < CANARIES; i++) {
      Thread.sleep(1000);
      n =
          client.resources(Canary.class).inNamespace(NS).list().getItems().stream()
              .filter(
                  c ->
                      c.getStatus() != null
                          && c.getStatus().phase()
                              == app.flagger.model.canary.CanaryPhase.INITIALIZED)
              .count();
    }
    return n;
  }

  static void seed(KubernetesClient client, String name) {
    Deployment d = CanaryFixture.deployment("podinfo:1");
    d.getMetadata().setName(name);
    d.getMetadata().setNamespace(NS);
    d.getMetadata().setLabels(Map.of("app", name));
    d.getSpec().getSelector().setMatchLabels(Map.of("app", name));
    d.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", name));
    var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    c.setEnv(List.of());
    c.setEnvFrom(List.of());
    c.setVolumeMounts(List.of());
    d.getSpec().getTemplate().getSpec().setVolumes(List.of());
    client.apps().deployments().inNamespace(NS).resource(d).create();
    Canary canary = new Canary();
    canary.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    canary.setSpec(
        new CanarySpec(
            "kubernetes",
            null,
            new LocalObjectReference("apps/v1", "Deployment", name),
            null,
            null,
            null,
            null,
            new CanaryService(
                null, 9898, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null),
            new CanaryAnalysis(
                "10s", 1, null, null, null, null, 5, null, null, null, null, null, null, null, null,
                null),
            null,
            null,
            null,
            null,
            null));
    client.resources(Canary.class).inNamespace(NS).resource(canary).create();
  }

  /** The fake deployment controller: keeps every Deployment's status at its spec. */
  static void markReadyForever(KubernetesClient client) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        for (Deployment d : client.apps().deployments().inNamespace(NS).list().getItems()) {
          int r = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
          var s = d.getStatus();
          if (s == null
              || !Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration())
              || !Objects.equals(s.getUpdatedReplicas(), r)
              || !Objects.equals(s.getAvailableReplicas(), r)) {
            d.setStatus(
                new DeploymentStatusBuilder()
                    .withObservedGeneration(d.getMetadata().getGeneration())
                    .withReplicas(r)
                    .withUpdatedReplicas(r)
                    .withAvailableReplicas(r)
                    .withReadyReplicas(r)
                    .build());
            client.apps().deployments().inNamespace(NS).resource(d).updateStatus();
          }
        }
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // the API server may answer 409 on a concurrent write; try again next round
      }
    }
  }

  static Map<Double, Long> buckets(Timer t) {
    Map<Double, Long> m = new java.util.TreeMap<>();
    for (Bucket b : t.snapshot().histogramCounts()) {
      m.put(b.boundary(java.util.concurrent.TimeUnit.SECONDS), b.count());
    }
    return m;
  }

  /** The upper bound of the bucket holding quantile {@code q} of the samples taken in between. */
  static double percentile(Map<Double, Long> before, Map<Double, Long> after, double q) {
    long total =
        after.values().stream().mapToLong(Long::longValue).max().orElse(0)
            - before.values().stream().mapToLong(Long::longValue).max().orElse(0);
    for (var e : after.entrySet()) {
      long n = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      if (n >= q * total) {
        return e.getKey();
      }
    }
    return Double.POSITIVE_INFINITY;
  }
}
