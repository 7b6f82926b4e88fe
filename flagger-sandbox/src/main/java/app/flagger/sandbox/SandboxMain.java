package app.flagger.sandbox;

import app.flagger.sandbox.prometheus.SandboxPrometheus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
      printWhere(sandbox);
      if (exitAfter.isZero()) {
        stop.await();
      } else {
        stop.await(exitAfter.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    System.out.println("sandbox: stopped");
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
