package app.flagger.sandbox;

import app.flagger.controller.ControllerConfig;
import app.flagger.controller.FlaggerController;
import app.flagger.controller.StandardComponents;
import app.flagger.model.canary.Canary;
import app.flagger.model.metric.MetricTemplate;
import app.flagger.sandbox.prometheus.SandboxPrometheus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code make demo}: starts the sandbox (Kubernetes API, kubelet with real pods, mesh, Prometheus)
 * with the podinfo example, prints where everything is, and shows what happens to the Canary until
 * Ctrl-C (or {@code --exit-after=SECONDS}). Options: {@code --no-prometheus}.
 */
public final class SandboxMain {
  private SandboxMain() {}

  /** The example objects the demo applies, in order. */
  static final List<String> EXAMPLES =
      List.of(
          "namespace-test.yaml",
          "podinfo-deployment.yaml",
          "podinfo-hpa.yaml",
          "metrictemplate-not-found-percentage.yaml",
          "canary-istio.yaml");

  public static void main(String[] args) throws Exception {
    Path root = repoRoot();
    Duration exitAfter = exitAfter(args);
    Path prometheusBinary = null;
    if (!List.of(args).contains("--no-prometheus")) {
      try {
        prometheusBinary = SandboxPrometheus.binary();
      } catch (IllegalStateException e) {
        System.out.println("sandbox: " + e.getMessage() + "; running without Prometheus");
      }
    }
    Sandbox.Options options =
        new Sandbox.Options(
            root,
            root.resolve(".sandbox"),
            prometheusBinary,
            Duration.ofSeconds(2),
            Duration.ofMillis(250),
            System.nanoTime());
    CountDownLatch stop = new CountDownLatch(1);
    try (Sandbox sandbox = Sandbox.start(options, Clock.systemUTC());
        CanaryWatcher watcher = new CanaryWatcher(sandbox.api().client(), System.out).start()) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    stop.countDown();
                    sandbox.close();
                  }));
      for (String example : EXAMPLES) {
        for (HasMetadata o : sandbox.api().apply(root.resolve("k8s/examples").resolve(example))) {
          System.out.printf("sandbox: applied %s %s%n", o.getKind(), o.getMetadata().getName());
        }
      }
      adaptExamplesToSandbox(sandbox);
      printWhere(sandbox);
      try (FlaggerController controller = startController(sandbox)) {
        await(stop, exitAfter);
      }
    }
    System.out.println("sandbox: stopped");
  }

  /**
   * The demo's Canary steps every 10 s instead of the example's minute, and the MetricTemplate
   * queries the sandbox's Prometheus.
   */
  private static void adaptExamplesToSandbox(Sandbox sandbox) {
    sandbox
        .prometheus()
        .ifPresent(
            p ->
                sandbox
                    .api()
                    .client()
                    .resources(MetricTemplate.class)
                    .inNamespace("test")
                    .withName("not-found-percentage")
                    .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"spec\":{\"provider\":{\"address\":\"" + p.url() + "\"}}}"));
    sandbox
        .api()
        .client()
        .resources(Canary.class)
        .inNamespace("test")
        .withName("podinfo")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"analysis\":{\"interval\":\"10s\"}}}");
  }

  /**
   * The controller, embedded as in production ({@link StandardComponents}): Istio provider, builtin
   * metrics from the sandbox's Prometheus, no leader election on a one-replica sandbox.
   */
  private static FlaggerController startController(Sandbox sandbox) {
    String metricsServer = sandbox.prometheus().map(p -> p.url()).orElse("http://127.0.0.1:9");
    ControllerConfig config =
        ControllerConfig.from(
            Config.just(
                ConfigSources.create(
                    Map.of(
                        "flagger.mesh-provider", "istio",
                        "flagger.metrics-server", metricsServer,
                        "flagger.enable-leader-election", "false"))),
            Map.of());
    FlaggerController controller =
        StandardComponents.builder(sandbox.api().client(), config).build();
    controller.start();
    System.out.println(
        "sandbox: controller started (mesh provider istio, metrics " + metricsServer + ")");
    return controller;
  }

  private static void await(CountDownLatch stop, Duration exitAfter) throws InterruptedException {
    if (exitAfter.isZero()) {
      stop.await();
    } else {
      stop.await(exitAfter.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static void printWhere(Sandbox s) {
    String mesh = s.mesh().url();
    System.out.println("sandbox: Kubernetes API  " + s.api().url());
    System.out.println(
        "sandbox: kubeconfig      "
            + s.kubeconfig()
            + "  (kubectl --kubeconfig "
            + s.kubeconfig()
            + " -n test get deploy,pods,svc)");
    System.out.println(
        "sandbox: mesh (HTTP proxy) "
            + mesh
            + "  e.g. curl -x "
            + mesh
            + " http://podinfo.test:9898/  (once the controller has created the podinfo Services)");
    System.out.println("sandbox: mesh telemetry  " + s.mesh().metricsUrl());
    s.prometheus()
        .ifPresent(p -> System.out.println("sandbox: Prometheus      " + p.url() + "/graph"));
    System.out.println("sandbox: running; Ctrl-C stops every process it started");
  }

  private static Duration exitAfter(String[] args) {
    for (String a : args) {
      if (a.startsWith("--exit-after=")) {
        return Duration.ofSeconds(Long.parseLong(a.substring("--exit-after=".length())));
      }
    }
    return Duration.ZERO;
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
