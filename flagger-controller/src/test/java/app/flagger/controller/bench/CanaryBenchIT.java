package app.flagger.controller.bench;

import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.metrics.FlaggerMetrics;
import app.flagger.model.support.ShippedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 *
 * <p>{@code bench.mode}: {@code idle} (the above, the default), {@code analysing} (the Canaries on
 * the istio provider with two builtin metric checks against a Prometheus stand-in and a rollout
 * webhook, {@link BenchStandIns}; once all are Initialized every Deployment gets a new revision,
 * and the window starts {@code bench.warmupSeconds} after all are Progressing; fails when they do
 * not all get there within {@code bench.initSeconds}) or {@code both} (idle, then analysing with a
 * fresh API server and controller, then a {@code BENCH-RATIO} line: analysing / idle for each
 * figure). {@code /metrics} is read (and its GET timed) every {@code bench.scrapeSeconds}.
 */
class CanaryBenchIT {
  static final int CANARIES = Integer.getInteger("bench.canaries", 1000);
  static final int SECONDS = Integer.getInteger("bench.seconds", 90);
  static final int INIT_SECONDS = Integer.getInteger("bench.initSeconds", 900);
  static final int QPS = Integer.getInteger("bench.qps", 100);
  static final int BURST = Integer.getInteger("bench.burst", 250);
  static final String MODE = System.getProperty("bench.mode", "idle");
  static final int WARMUP_SECONDS = Integer.getInteger("bench.warmupSeconds", 20);
  static final int SCRAPE_SECONDS = Integer.getInteger("bench.scrapeSeconds", 5);
  static final String IDLE = "idle";
  static final String ANALYSING = "analysing";

  static final boolean LEADER_ELECTION =
      Boolean.parseBoolean(System.getProperty("bench.leaderElection", "true"));

  /** The Lease's namespace: the pod's own, as the manifest sets it. */
  static final String LEASE_NAMESPACE = "flagger-system";

  @Test
  void thousandCanaries() throws Exception {
    List<String> modes =
        switch (MODE) {
          case IDLE -> List.of(IDLE);
          case ANALYSING -> List.of(ANALYSING);
          case "both" -> List.of(IDLE, ANALYSING);
          default ->
              throw new IllegalArgumentException(
                  "bench.mode: expected idle, analysing or both, got " + MODE);
        };
    Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
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
    Map<String, String> lines = new LinkedHashMap<>();
    for (String mode : modes) {
      // the analysing run keeps its own log, so that MODE=both leaves both
      Path dir = module.resolve(mode.equals(IDLE) ? "target/bench" : "target/bench/analysing");
      try (BenchPeer api = BenchPeer.start(CANARIES, mode)) {
        // a bearer token, as a pod's ServiceAccount gives: with no token at all fabric8 reads its
        // whole configuration again before every request (a tenth of the controller's CPU),
        // where with one it does so once a minute
        Path kubeconfig =
            ControllerProcess.kubeconfig(dir, api.url(), LEASE_NAMESPACE, "bench-controller");
        String metricsServer = mode.equals(IDLE) ? null : api.standInsUrl();
        try (ControllerProcess controller =
            ControllerProcess.start(jar, jvm, env(kubeconfig, metricsServer), dir)) {
          lines.put(mode, run(api, controller, jvm, mode));
        }
      }
    }
    if (lines.size() == 2) {
      System.out.println(ratio(lines.get(IDLE), lines.get(ANALYSING)));
    }
  }

  /** One mode's run against a started API server and controller; returns its BENCH line. */
  private static String run(
      BenchPeer api, ControllerProcess controller, ControllerJvm jvm, String mode)
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
        "BENCH-INIT mode=%s canaries=%d initialized=%d seconds=%.1f readySeconds=%.1f"
            + " ticksFinished=%d cpuSeconds=%.1f rssPeakMB=%d apiCalls=%d apiErrors=%d"
            + " throttleWaitSeconds=%.1f apiServerCpuSeconds=%.1f qps=%d burst=%d"
            + " leaderElection=%s load=%s%n",
        mode,
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
    if (mode.equals(ANALYSING)) {
      s1 = startAnalyses(api, controller, jvm, start, s1);
    }
    // the steady window; /metrics is read (and its GET timed) every bench.scrapeSeconds
    long queries1 = api.queries();
    long hooks1 = api.hooks();
    List<ControllerProcess.Scrape> scrapes = new ArrayList<>();
    long inFlightMax = s1.ticksInFlight();
    long end = s1.nanos() + SECONDS * 1_000_000_000L;
    for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
      Thread.sleep(Math.min(SCRAPE_SECONDS * 1000L, left / 1_000_000L + 1));
      stillReady(controller, jvm, start);
      if (end - System.nanoTime() > 1_000_000_000L) {
        ControllerProcess.Scrape scrape = controller.scrapeTimed();
        scrapes.add(scrape);
        inFlightMax = Math.max(inFlightMax, (long) inFlight(scrape.metrics()));
      }
    }
    ControllerProcess.Scrape last = controller.scrapeTimed();
    scrapes.add(last);
    BenchWindow.Snapshot s2 = BenchWindow.Snapshot.of(controller, api, last.metrics());
    double wall = (s2.nanos() - s1.nanos()) / 1e9;
    inFlightMax = Math.max(inFlightMax, s2.ticksInFlight());
    List<Double> millis = scrapes.stream().map(x -> x.nanos() / 1e6).sorted().toList();
    String line =
        tag(BenchWindow.line(s1, s2, CANARIES, SECONDS, inFlightMax), mode)
            + String.format(
                Locale.ROOT,
                " metricsGets=%d metricsGetP50Ms=%.1f metricsGetP99Ms=%.1f metricsGetMaxMs=%.1f"
                    + " metricsBytes=%d promQueriesPerSecond=%.1f webhookCallsPerSecond=%.1f"
                    + " phasesAtEnd=%s",
                millis.size(),
                quantile(millis, 0.50),
                quantile(millis, 0.99),
                millis.get(millis.size() - 1),
                last.bytes(),
                (api.queries() - queries1) / wall,
                (api.hooks() - hooks1) / wall,
                phases(api.phases()));
    System.out.println(line);
    System.out.println(tag(JvmMemory.line(controller.pid(), jvm.nativeMemoryTracking()), mode));
    api.drainCalls().forEach(l -> System.out.println("BENCH-CALLS " + l));
    return line;
  }

  /**
   * Mode analysing: gives every Deployment a new revision, waits until every Canary is Progressing
   * (fails when they do not all get there within {@code bench.initSeconds}), prints {@code
   * BENCH-ROLLOUT}, waits {@code bench.warmupSeconds} more (the first ticks scale the canary up and
   * wait for it; the analysis proper follows) and returns the snapshot that starts the window.
   */
  private static BenchWindow.Snapshot startAnalyses(
      BenchPeer api,
      ControllerProcess controller,
      ControllerJvm jvm,
      long start,
      BenchWindow.Snapshot s1)
      throws Exception {
    long r0 = System.nanoTime();
    if (!api.rollout(INIT_SECONDS)) {
      throw fail(
          controller,
          "still running: the API server had not stored the "
              + CANARIES
              + " new revisions after "
              + INIT_SECONDS
              + " s ("
              + phases(api.phases())
              + ")");
    }
    long progressing =
        api.awaitPhase(CanaryPhase.PROGRESSING.value(), CANARIES, INIT_SECONDS, controller::up);
    alive(controller);
    BenchWindow.Snapshot r1 = BenchWindow.Snapshot.of(controller, api, controller.scrape());
    System.out.printf(
        Locale.ROOT,
        "BENCH-ROLLOUT mode=%s canaries=%d progressing=%d seconds=%.1f phases=%s"
            + " ticksFinished=%d cpuSeconds=%.1f rssPeakMB=%d apiCalls=%d apiErrors=%d"
            + " throttleWaitSeconds=%.1f warmupSeconds=%d load=%s%n",
        ANALYSING,
        CANARIES,
        progressing,
        (System.nanoTime() - r0) / 1e9,
        phases(api.phases()),
        BenchWindow.finished(s1, r1),
        r1.cpuSeconds() - s1.cpuSeconds(),
        r1.rssPeak() >> 20,
        r1.calls() - s1.calls(),
        r1.errors() - s1.errors(),
        r1.throttleSeconds() - s1.throttleSeconds(),
        WARMUP_SECONDS,
        ProcStats.loadAverage());
    if (progressing < CANARIES) {
      throw fail(
          controller,
          String.format(
              Locale.ROOT,
              "got %d of %d Canaries Progressing within %d s of the new revisions (%s)",
              progressing,
              CANARIES,
              INIT_SECONDS,
              phases(api.phases())));
    }
    long warm = System.nanoTime() + WARMUP_SECONDS * 1_000_000_000L;
    for (long left = warm - System.nanoTime(); left > 0; left = warm - System.nanoTime()) {
      Thread.sleep(Math.min(5_000L, left / 1_000_000L + 1));
      stillReady(controller, jvm, start);
    }
    api.drainCalls().forEach(l -> System.out.println("BENCH-ROLLOUT-CALLS " + l));
    return BenchWindow.Snapshot.of(controller, api, controller.scrape());
  }

  /** {@code line} with {@code mode=<mode>} after its first word. */
  private static String tag(String line, String mode) {
    int sp = line.indexOf(' ');
    return line.substring(0, sp) + " mode=" + mode + line.substring(sp);
  }

  /** The phase counts as {@code Progressing:1000,Succeeded:2}. */
  private static String phases(Map<String, Long> phases) {
    StringBuilder b = new StringBuilder();
    phases.forEach((k, v) -> b.append(b.isEmpty() ? "" : ",").append(k).append(':').append(v));
    return b.isEmpty() ? "none" : b.toString();
  }

  /** The nearest-rank quantile {@code q} of the sorted {@code values}. */
  static double quantile(List<Double> sorted, double q) {
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static final Pattern FIGURE = Pattern.compile("(\\w+)(=|<=)([0-9.]+)s?(?= |$)");

  /**
   * {@code BENCH-RATIO analysing/idle}: every numeric figure of the analysing BENCH line divided by
   * the idle one's ({@code n/a} where idle measured 0).
   */
  static String ratio(String idle, String analysing) {
    Map<String, Double> a = figures(idle);
    Map<String, Double> b = figures(analysing);
    StringBuilder out = new StringBuilder("BENCH-RATIO analysing/idle");
    for (var e : b.entrySet()) {
      Double i = a.get(e.getKey());
      if (i == null || List.of("canaries", "seconds", "load").contains(e.getKey())) {
        continue;
      }
      out.append(' ').append(e.getKey()).append('=');
      out.append(i == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", e.getValue() / i));
    }
    return out.append(" load=").append(ProcStats.loadAverage()).toString();
  }

  private static Map<String, Double> figures(String line) {
    Map<String, Double> m = new LinkedHashMap<>();
    Matcher x = FIGURE.matcher(line);
    while (x.find()) {
      m.put(x.group(1), Double.parseDouble(x.group(3)));
    }
    return m;
  }

  /**
   * The controller's configuration, as environment variables like its pod's; with a {@code
   * metricsServer} (mode analysing) the istio provider and that Prometheus.
   */
  private static Map<String, String> env(Path kubeconfig, String metricsServer) {
    Map<String, String> env = new HashMap<>();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("FLAGGER_MESH_PROVIDER", metricsServer == null ? "kubernetes" : "istio");
    if (metricsServer != null) {
      env.put("FLAGGER_METRICS_SERVER", metricsServer);
    }
    env.put("FLAGGER_KUBECONFIG_QPS", Integer.toString(QPS));
    env.put("FLAGGER_KUBECONFIG_BURST", Integer.toString(BURST));
    // as shipped (the mock API server's CRUD mode stores and renews the Lease);
    // bench.leaderElection=false turns it off
    env.put("FLAGGER_ENABLE_LEADER_ELECTION", Boolean.toString(LEADER_ELECTION));
    env.put("FLAGGER_LEADER_ELECTION_NAMESPACE", LEASE_NAMESPACE);
    return env;
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
