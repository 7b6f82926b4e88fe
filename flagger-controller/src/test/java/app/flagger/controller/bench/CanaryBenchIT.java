package app.flagger.controller.bench;

import app.flagger.controller.ControllerConfig;
import app.flagger.controller.FlaggerController;
import app.flagger.controller.KubeClients;
import app.flagger.controller.client.RateLimitInterceptor;
import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.controller.scheduler.ExecutorJobScheduler;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.helidon.metrics.api.MeterRegistry;
import java.time.Clock;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * {@code make bench-controller}: N Canaries (default 1,000) on the kubernetes provider, each
 * ticking every 10 s. The mock API server and the fake deployment controller run in their own JVM
 * ({@link BenchApiServer}), so the CPU and RSS printed are the controller's own (this JVM: the
 * controller plus the test runner, which is idle). The controller is built as {@code Main} builds
 * it: the production client with the kubeconfig-qps/burst limiter (defaults 100/250) and the call
 * metrics.
 *
 * <p>Phases: initialization (until the API server counts every Canary Initialized; bounded by
 * {@code bench.initSeconds}), then a steady window of {@code bench.seconds}. Prints one {@code
 * BENCH-INIT} and one {@code BENCH} line; asserts nothing. Run with {@code
 * hack/bench-controller.sh} or {@code mvn -B -pl flagger-controller -am verify -Pit
 * -Dtest=CanaryBenchIT -Dsurefire.failIfNoSpecifiedTests=false -Dbench.canaries=1000
 * -Dbench.seconds=120}.
 */
class CanaryBenchIT {
  static final int CANARIES = Integer.getInteger("bench.canaries", 1000);
  static final int SECONDS = Integer.getInteger("bench.seconds", 90);
  static final int INIT_SECONDS = Integer.getInteger("bench.initSeconds", 900);
  static final int QPS = Integer.getInteger("bench.qps", 100);
  static final int BURST = Integer.getInteger("bench.burst", 250);

  @Test
  void thousandCanaries() throws Exception {
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    try (BenchPeer api = BenchPeer.start(CANARIES)) {
      MeterRegistry registry = MeterRegistry.create();
      ControllerMetrics metrics = new ControllerMetrics(registry);
      ControllerConfig config =
          ControllerConfig.defaults()
              .withMeshProvider("kubernetes")
              .withKubeClientLimits(QPS, BURST);
      Config base =
          new ConfigBuilder(Config.empty())
              .withMasterUrl(api.url())
              .withTrustCerts(true)
              .withNamespace(BenchApiServer.NS)
              .build();
      CountingJobScheduler jobs = new CountingJobScheduler(new ExecutorJobScheduler(2, metrics));
      BenchWindow window = new BenchWindow(registry, jobs);
      try (KubernetesClient client =
          KubeClients.create(
              base, config, metrics, System::nanoTime, RateLimitInterceptor.Waiter.PARK)) {
        FlaggerController controller =
            FlaggerController.builder()
                .client(client)
                .config(config)
                .clock(Clock.systemUTC())
                .registry(registry)
                .controllerMetrics(metrics)
                .jobScheduler(jobs)
                .build();
        BenchWindow.Snapshot s0 = window.snapshot(api);
        long startNanos = System.nanoTime();
        controller.start();
        long initialized = api.awaitInitialized(CANARIES, INIT_SECONDS);
        double initSeconds = (System.nanoTime() - startNanos) / 1e9;
        BenchWindow.Snapshot s1 = window.snapshot(api);
        System.out.printf(
            Locale.ROOT,
            "BENCH-INIT canaries=%d initialized=%d seconds=%.1f ticksFinished=%d cpuSeconds=%.1f"
                + " apiCalls=%d apiErrors=%d throttleWaitSeconds=%.1f apiServerCpuSeconds=%.1f"
                + " qps=%d burst=%d load=%s%n",
            CANARIES,
            initialized,
            initSeconds,
            s1.finished() - s0.finished(),
            s1.cpuSeconds() - s0.cpuSeconds(),
            s1.calls() - s0.calls(),
            s1.errors() - s0.errors(),
            s1.throttleSeconds() - s0.throttleSeconds(),
            s1.peerCpuSeconds() - s0.peerCpuSeconds(),
            QPS,
            BURST,
            ProcStats.loadAverage());
        api.drainCalls().forEach(l -> System.out.println("BENCH-INIT-CALLS " + l));
        Thread.sleep(SECONDS * 1000L);
        BenchWindow.Snapshot s2 = window.snapshot(api);
        window.print(s1, s2, CANARIES, SECONDS);
        api.drainCalls().forEach(l -> System.out.println("BENCH-CALLS " + l));
        controller.close();
      }
    }
  }
}
