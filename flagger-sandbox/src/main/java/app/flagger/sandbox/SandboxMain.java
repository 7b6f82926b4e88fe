package app.flagger.sandbox;

import app.flagger.controller.events.EventSink;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.sandbox.prometheus.SandboxPrometheus;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code make demo}: starts the sandbox with Flagger in it ({@link SandboxStack}), installs the
 * podinfo example with the Canary of the chosen provider (Istio by default), and tells the story: a
 * good release is analysed on real metrics and promoted, then a faulty one (20% errors) is halted
 * and rolled back. Prints the controller's messages as they happen, a status line, and a summary;
 * then stops every process it started. Options: {@code
 * --provider=istio|gatewayapi:v1|gatewayapi:v1beta1|linkerd|nginx} (the Canary example and the
 * routing object the story runs on; Istio by default), {@code --judge} (the judge's story, {@link
 * JudgeScenario}: a same-age baseline, and a release 40 ms slower than it rolled back by the
 * statistical judge instead of a faulty one by the thresholds; Istio and Gateway API only), {@code
 * --stay} (keep running after the story until Ctrl-C), {@code --grafana-url=URL} (or {@code
 * GRAFANA_URL}: provision that Grafana with the datasource and dashboards).
 */
public final class SandboxMain {
  private SandboxMain() {}

  /** The example objects of the demo's namespace, in order. */
  static final List<String> EXAMPLES =
      List.of(
          "namespace-test.yaml",
          "podinfo-deployment.yaml",
          "podinfo-hpa.yaml",
          "metrictemplate-not-found-percentage.yaml",
          "canary-istio.yaml");

  /** The analysis of the demo's Canary: ten-second steps instead of the example's minute. */
  static final Map<String, Object> DEMO_ANALYSIS = Map.of("interval", "10s", "threshold", 3);

  static final String GOOD = "ghcr.io/stefanprodan/podinfo:6.0.1";
  static final String FAULTY = "ghcr.io/stefanprodan/podinfo:6.0.2";

  /** The faulty release's error rate: one request in five fails, far below 99% success. */
  static final Map<String, String> FAULTY_ENV = Map.of("ERROR_RATE", "0.2", "RANDOM_SEED", "7");

  public static void main(String[] args) throws Exception {
    Clock clock = Clock.systemUTC();
    Instant t0 = clock.instant();
    PrintStream out = System.out;
    boolean stay = List.of(args).contains("--stay");
    SandboxProvider provider;
    boolean judge;
    try {
      provider = provider(args);
      judge = judge(args, provider);
    } catch (IllegalArgumentException e) {
      out.println("demo: " + e.getMessage());
      System.exit(2);
      return;
    }
    Path root = repoRoot();
    Path prometheusBinary;
    try {
      prometheusBinary = SandboxPrometheus.binary();
    } catch (IllegalStateException e) {
      out.println("demo: " + e.getMessage());
      out.println("demo: the analysis needs real metrics, so the demo cannot run without it");
      System.exit(2);
      return;
    }
    Sandbox.Options options =
        new Sandbox.Options(
            root,
            root.resolve(".sandbox"),
            prometheusBinary,
            Duration.ofSeconds(2),
            Duration.ofMillis(250),
            System.nanoTime());
    Footprint footprint = new Footprint().start();
    DemoConsole console = new DemoConsole(out, clock, System.console() != null).start();
    CountDownLatch stop = new CountDownLatch(1);
    AtomicReference<String> judged = new AtomicReference<>();
    EventSink judgements =
        e -> {
          if (e.message().startsWith("Judge ")) {
            judged.set(e.message());
          }
        };
    boolean asExpected;
    try (SandboxStack stack =
        SandboxStack.start(options, Map.of(), List.of(console, judgements), clock)) {
      Thread hook =
          new Thread(
              () -> {
                stop.countDown();
                console.close();
                stack.close();
              });
      Runtime.getRuntime().addShutdownHook(hook);
      Story story = new Story(stack, root, clock);
      console.say(
          "demo: sandbox up; installing the podinfo example and "
              + provider.example()
              + " (provider "
              + provider.value()
              + (judge ? ", with a same-age baseline and the judge" : "")
              + ") in test");
      if (judge) {
        story.install(
            "test",
            provider,
            JudgeScenario.ANALYSIS,
            text ->
                JudgeScenario.canary(
                    text, "test", stack.sandbox().prometheus().orElseThrow().url()),
            JudgeScenario.STEADY);
      } else {
        story.install("test", provider, DEMO_ANALYSIS);
      }
      console.follow(() -> story.canary("test"));
      printWhere(console, stack, provider);
      provisionGrafana(console, stack, args);
      story.awaitPhase("test", Duration.ofMinutes(2), CanaryPhase.INITIALIZED);
      console.say(
          "demo: release 1: podinfo "
              + tag(GOOD)
              + (judge ? " (answers like the running version, in 60 ms)" : " (healthy)"));
      story.release("test", GOOD, Map.of());
      CanaryPhase first = finish(story);
      console.say("demo: release 1 ended " + first.value());
      // the judgement that rolls release 2 back (a passed judgement is no event)
      judged.set(null);
      if (judge) {
        console.say(
            "demo: release 2: podinfo "
                + tag(FAULTY)
                + " with LATENCY_MS=100 (40 ms slower than the baseline, far under the 500 ms"
                + " threshold)");
        story.release("test", FAULTY, JudgeScenario.SLOWER);
      } else {
        console.say(
            "demo: release 2: podinfo "
                + tag(FAULTY)
                + " with ERROR_RATE=0.2 (one request in five fails)");
        story.release("test", FAULTY, FAULTY_ENV);
      }
      CanaryPhase second = finish(story);
      console.say("demo: release 2 ended " + second.value());
      asExpected =
          first == CanaryPhase.SUCCEEDED
              && second == CanaryPhase.FAILED
              && (!judge || judged.get() != null);
      footprint.sample();
      console.close();
      summary(out, stack, story, clock, t0, footprint, asExpected, provider, judge, judged.get());
      if (stay) {
        out.println("demo: staying up (--stay); Ctrl-C stops every process the demo started");
        stop.await();
      }
      Runtime.getRuntime().removeShutdownHook(hook);
    } finally {
      footprint.close();
    }
    out.println("demo: stopped every process it started");
    System.exit(asExpected ? 0 : 1);
  }

  /** Waits for the release to start, then for it to be promoted or rolled back. */
  private static CanaryPhase finish(Story story) {
    story.awaitPhase(
        "test",
        Duration.ofMinutes(2),
        CanaryPhase.PROGRESSING,
        CanaryPhase.WAITING,
        CanaryPhase.FAILED);
    return story.awaitPhase(
        "test", Duration.ofMinutes(4), CanaryPhase.SUCCEEDED, CanaryPhase.FAILED);
  }

  /** With {@code --grafana-url} or {@code GRAFANA_URL}: Flagger's dashboards on that Grafana. */
  private static void provisionGrafana(DemoConsole console, SandboxStack s, String[] args) {
    Map<String, String> env = System.getenv();
    GrafanaProvisioning.url(args, env)
        .ifPresent(
            url ->
                s.sandbox()
                    .prometheus()
                    .ifPresent(
                        p -> {
                          try {
                            boolean ok =
                                GrafanaProvisioning.provision(
                                    GrafanaProvisioning.config(url, p.url(), env));
                            console.say(
                                ok
                                    ? "demo: Grafana           "
                                        + url
                                        + "  (datasource and Flagger dashboards provisioned)"
                                    : "demo: Grafana at "
                                        + url
                                        + " refused provisioning (see log)");
                          } catch (IllegalArgumentException e) {
                            console.say("demo: Grafana not provisioned: " + e.getMessage());
                          }
                        }));
  }

  /**
   * Whether {@code --judge} ({@code make demo JUDGE=1}) asks for the judge's story.
   *
   * @throws IllegalArgumentException when {@code provider} cannot run a baseline
   */
  static boolean judge(String[] args, SandboxProvider provider) {
    boolean judge = List.of(args).contains("--judge");
    if (judge && !JudgeScenario.supports(provider)) {
      throw new IllegalArgumentException(JudgeScenario.refusal(provider));
    }
    return judge;
  }

  /**
   * The provider of {@code --provider=VALUE} ({@code make demo PROVIDER=VALUE}), Istio without it.
   *
   * @throws IllegalArgumentException naming a value the sandbox does not run, and the accepted ones
   */
  static SandboxProvider provider(String[] args) {
    String value = null;
    for (String a : args) {
      if (a.startsWith("--provider=")) {
        value = a.substring("--provider=".length());
        if (value.isBlank()) {
          throw new IllegalArgumentException(
              "--provider (PROVIDER) is empty; accepted: " + SandboxProvider.accepted());
        }
      }
    }
    return SandboxProvider.of(value);
  }

  private static void printWhere(DemoConsole console, SandboxStack s, SandboxProvider provider) {
    Sandbox sb = s.sandbox();
    console.say(
        "demo: Kubernetes API    " + sb.api().url() + "  (kubeconfig " + sb.kubeconfig() + ")");
    console.say(
        "demo: watch the release KUBECONFIG="
            + sb.kubeconfig()
            + " flagger-cli/target/kubectl-flagger status podinfo -n test --watch");
    console.say(
        "demo: mesh              "
            + sb.mesh().url()
            + "  (curl -x "
            + sb.mesh().url()
            + " "
            + provider.usersUrl("test")
            + ")");
    console.say(
        "demo: load tester       "
            + s.loadTester().url()
            + "  (log "
            + s.loadTester().log()
            + ", bearer token in "
            + s.loadTester().tokenFile()
            + ")");
    sb.prometheus().ifPresent(p -> console.say("demo: Prometheus        " + p.url() + "/graph"));
  }

  private static void summary(
      PrintStream out,
      SandboxStack s,
      Story story,
      Clock clock,
      Instant t0,
      Footprint footprint,
      boolean asExpected,
      SandboxProvider provider,
      boolean judge,
      String judged)
      throws Exception {
    Sandbox sb = s.sandbox();
    SandboxPrometheus p = sb.prometheus().orElseThrow();
    double generated = p.queryValue("sum(flagger_loadtester_requests_total)").orElse(Double.NaN);
    double status =
        awaitScraped(p, "flagger_canary_status{name=\"podinfo\",namespace=\"test\"}", 2, clock);
    out.println();
    out.println("demo: summary");
    out.println(
        "  story                   "
            + (asExpected
                ? "release 1 promoted, release 2 rolled back"
                    + (judge ? " by the judge" : "")
                    + ", as expected"
                : "NOT as expected: see the messages above"));
    if (judge) {
      out.println("  last judgement          " + (judged == null ? "none" : judged));
    }
    out.println("  canary                  " + DemoConsole.status(story.canary("test")));
    out.printf(
        Locale.ROOT, "  flagger_canary_status   %.0f (0 progressing, 1 ok, 2 failed)%n", status);
    out.printf(
        Locale.ROOT,
        "  load tester requests    %.0f (flagger_loadtester_requests_total, finished hey runs)%n",
        generated);
    out.printf(
        Locale.ROOT,
        "  user requests           %d to %s (%d a second)%n",
        s.users().stream().mapToLong(UserTraffic::answered).sum(),
        provider.usersUrl("test"),
        Story.USERS_PER_SECOND);
    out.println(
        "  alerts received         "
            + s.events().received("/alerts/").size()
            + "  ("
            + s.events().url()
            + "alerts/slack, "
            + s.events().url()
            + "alerts/msteams)");
    out.println("  controller /metrics     " + s.controller().url() + "/metrics");
    out.println("  Prometheus              " + p.url() + "/graph");
    out.println(
        "  event-webhook payloads  "
            + s.events().url()
            + "  ("
            + s.events().payloads().size()
            + " received)");
    out.println("  load tester /metrics    " + s.loadTester().url() + "/metrics");
    out.printf(
        Locale.ROOT,
        "  wall time               %d s%n",
        Duration.between(t0, clock.instant()).toSeconds());
    out.printf(
        Locale.ROOT,
        "  peak memory             %d MB RSS over %d processes (sandbox JVM, pods, load tester,"
            + " Prometheus)%n",
        footprint.peakBytes() / (1024 * 1024),
        footprint.peakProcesses());
  }

  /** The value of a series once Prometheus has scraped {@code expected} (10 s at most). */
  private static double awaitScraped(
      SandboxPrometheus p, String promql, double expected, Clock clock) throws Exception {
    Instant deadline = clock.instant().plusSeconds(10);
    double v = p.queryValue(promql).orElse(Double.NaN);
    while (v != expected && clock.instant().isBefore(deadline)) {
      CompletableFuture.runAsync(
              () -> {}, CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS))
          .join();
      v = p.queryValue(promql).orElse(Double.NaN);
    }
    return v;
  }

  private static String tag(String image) {
    return image.substring(image.lastIndexOf(':') + 1);
  }

  /** The repository root: {@code FLAGGER_HOME}, or the nearest parent holding {@code k8s/crds}. */
  static Path repoRoot() {
    String home = System.getenv("FLAGGER_HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("k8s/crds"))) {
        return p;
      }
    }
    throw new IllegalStateException("run from the repository or set FLAGGER_HOME");
  }
}
