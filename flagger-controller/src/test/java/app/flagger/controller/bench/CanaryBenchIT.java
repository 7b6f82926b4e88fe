package app.flagger.controller.bench;

import app.flagger.model.metrics.FlaggerMetrics;
import app.flagger.model.support.ShippedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code make bench-controller}: N Canaries (default 1,000) on the kubernetes provider, each
 * ticking every 10 s, handled by the controller as it ships. The mock API server and the fake
 * deployment controller run in one JVM ({@link BenchApiServer}); the controller runs in another,
 * started from the packaged jar with the image's JVM options ({@code jvm.flags}) and the pod's
 * limits ({@link ControllerJvm}), configured through environment variables as its pod is, and
 * measured from outside: its {@code /metrics}, procfs and {@code jcmd} ({@link ControllerProcess}).
 * The jar must be built first ({@code hack/bench-controller.sh} does).
 *
 * <p>Phases: from the launch until the API server counts every Canary Initialized (bounded by
 * {@code bench.initSeconds}), then a steady window of {@code bench.seconds}. Prints {@code
 * BENCH-JVM}, {@code BENCH-INIT}, {@code BENCH} and {@code BENCH-MEM} lines; fails only when the
 * controller does not come up or exits.
 */
class CanaryBenchIT {
  static final int CANARIES = Integer.getInteger("bench.canaries", 1000);
  static final int SECONDS = Integer.getInteger("bench.seconds", 90);
  static final int INIT_SECONDS = Integer.getInteger("bench.initSeconds", 900);
  static final int QPS = Integer.getInteger("bench.qps", 100);
  static final int BURST = Integer.getInteger("bench.burst", 250);

  static final boolean LEADER_ELECTION =
      Boolean.parseBoolean(System.getProperty("bench.leaderElection", "true"));

  /** The Lease's namespace: the pod's own, as the manifest sets it. */
  static final String LEASE_NAMESPACE = "flagger-system";

  @Test
  void thousandCanaries() throws Exception {
    Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    Path dir = module.resolve("target/bench");
    ControllerJvm jvm =
        ControllerJvm.shipped(
            module.resolve("Dockerfile"),
            module.resolve("../k8s/controller/050-Deployment-flagger.yaml").normalize(),
            System.getProperty("bench.controllerJvm", ""));
    System.out.printf(
        "BENCH-JVM image=\"%s\" imageEnv=%s commandLine=\"%s\" nmt=%s java=%s%n",
        String.join(" ", jvm.all().subList(0, jvm.all().size() - jvm.args().size())),
        jvm.imageEnv(),
        String.join(" ", jvm.args()),
        jvm.nativeMemoryTracking(),
        Runtime.version());
    Path jar = jar(module);
    try (BenchPeer api = BenchPeer.start(CANARIES)) {
      Path kubeconfig = ControllerProcess.kubeconfig(dir, api.url(), LEASE_NAMESPACE);
      try (ControllerProcess controller = ControllerProcess.start(jar, jvm, env(kubeconfig), dir)) {
        run(api, controller, jvm);
      }
    }
  }

  private static void run(BenchPeer api, ControllerProcess controller, ControllerJvm jvm)
      throws Exception {
    long start = System.nanoTime();
    BenchWindow.Snapshot s0 = BenchWindow.Snapshot.of(controller, api, PromText.EMPTY);
    if (!controller.awaitReady(Duration.ofSeconds(INIT_SECONDS))) {
      throw fail(controller, "not ready within " + INIT_SECONDS + " s");
    }
    double readySeconds = (System.nanoTime() - start) / 1e9;
    long initialized =
        api.awaitInitialized(
            CANARIES, (int) Math.max(1, INIT_SECONDS - readySeconds), controller::up);
    double initSeconds = (System.nanoTime() - start) / 1e9;
    alive(controller);
    BenchWindow.Snapshot s1 = BenchWindow.Snapshot.of(controller, api, controller.scrape());
    System.out.printf(
        Locale.ROOT,
        "BENCH-INIT canaries=%d initialized=%d seconds=%.1f readySeconds=%.1f ticksFinished=%d"
            + " cpuSeconds=%.1f rssPeakMB=%d apiCalls=%d apiErrors=%d throttleWaitSeconds=%.1f"
            + " apiServerCpuSeconds=%.1f qps=%d burst=%d leaderElection=%s load=%s%n",
        CANARIES,
        initialized,
        initSeconds,
        readySeconds,
        BenchWindow.finished(s0, s1),
        s1.cpuSeconds() - s0.cpuSeconds(),
        s1.rssPeak() >> 20,
        s1.calls() - s0.calls(),
        s1.errors() - s0.errors(),
        s1.throttleSeconds() - s0.throttleSeconds(),
        s1.peerCpuSeconds() - s0.peerCpuSeconds(),
        QPS,
        BURST,
        LEADER_ELECTION,
        ProcStats.loadAverage());
    api.drainCalls().forEach(l -> System.out.println("BENCH-INIT-CALLS " + l));
    stillReady(controller, jvm, start);
    // the steady window; the in-flight gauge is read every 10 s, as a Prometheus would scrape
    long inFlightMax = s1.ticksInFlight();
    long end = s1.nanos() + SECONDS * 1_000_000_000L;
    for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
      Thread.sleep(Math.min(10_000L, left / 1_000_000L + 1));
      stillReady(controller, jvm, start);
      if (end - System.nanoTime() > 1_000_000_000L) {
        inFlightMax = Math.max(inFlightMax, (long) inFlight(controller.scrape()));
      }
    }
    BenchWindow.Snapshot s2 = BenchWindow.Snapshot.of(controller, api, controller.scrape());
    inFlightMax = Math.max(inFlightMax, s2.ticksInFlight());
    System.out.println(BenchWindow.line(s1, s2, CANARIES, SECONDS, inFlightMax));
    System.out.println(JvmMemory.line(controller.pid(), jvm.nativeMemoryTracking()));
    api.drainCalls().forEach(l -> System.out.println("BENCH-CALLS " + l));
  }

  /** The controller's configuration, as environment variables like its pod's. */
  private static Map<String, String> env(Path kubeconfig) {
    return Map.of(
        "KUBECONFIG",
        kubeconfig.toString(),
        "FLAGGER_MESH_PROVIDER",
        "kubernetes",
        "FLAGGER_KUBECONFIG_QPS",
        Integer.toString(QPS),
        "FLAGGER_KUBECONFIG_BURST",
        Integer.toString(BURST),
        // as shipped (the mock API server's CRUD mode stores and renews the Lease);
        // bench.leaderElection=false turns it off
        "FLAGGER_ENABLE_LEADER_ELECTION",
        Boolean.toString(LEADER_ELECTION),
        "FLAGGER_LEADER_ELECTION_NAMESPACE",
        LEASE_NAMESPACE);
  }

  /** {@code target/flagger-controller-<version>.jar} next to {@code target/libs}, as packaged. */
  static Path jar(Path module) throws IOException {
    return ShippedImage.jar(module, "flagger-controller");
  }

  private static double inFlight(PromText metrics) {
    return metrics.sum(FlaggerMetrics.CONTROLLER_TICKS_IN_FLIGHT.name(), Map.of());
  }

  /**
   * Fails when the controller exited or is no longer ready (with leader election on: it lost the
   * Lease, and a replica that is not the leader runs no jobs), after printing its memory.
   */
  private static void stillReady(ControllerProcess controller, ControllerJvm jvm, long start)
      throws InterruptedException {
    alive(controller);
    if (!controller.ready()) {
      System.out.println(JvmMemory.line(controller.pid(), jvm.nativeMemoryTracking()));
      throw fail(
          controller,
          String.format(
              Locale.ROOT,
              "is no longer ready %.0f s after the launch: %s (LEADER_ELECTION=false runs the"
                  + " bench without leader election)",
              (System.nanoTime() - start) / 1e9,
              controller.readiness()));
    }
  }

  private static void alive(ControllerProcess controller) {
    if (!controller.alive()) {
      throw fail(controller, "exited");
    }
  }

  private static AssertionError fail(ControllerProcess controller, String what) {
    return new AssertionError(
        "the controller (pid "
            + controller.pid()
            + ") "
            + what
            + "; last lines of target/bench/"
            + ControllerProcess.LOG
            + ":\n"
            + controller.logTail(40));
  }
}
