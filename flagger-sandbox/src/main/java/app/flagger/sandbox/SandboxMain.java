package app.flagger.sandbox;

import app.flagger.sandbox.kubelet.ProcessPodLauncher;
import app.flagger.sandbox.kubelet.SandboxKubelet;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code make demo}: starts the embedded Kubernetes API with Flagger's CRDs, the sandbox kubelet
 * and the podinfo example, then shows what happens to the Canary until Ctrl-C (or {@code
 * --exit-after=SECONDS}).
 */
public final class SandboxMain {
  private SandboxMain() {}

  /** The example objects the demo applies, in order. */
  static final List<String> EXAMPLES =
      List.of(
          "namespace-test.yaml",
          "podinfo-deployment.yaml",
          "podinfo-hpa.yaml",
          "canary-kubernetes-bluegreen.yaml");

  public static void main(String[] args) throws Exception {
    Path root = repoRoot();
    Duration exitAfter = exitAfter(args);
    CountDownLatch stop = new CountDownLatch(1);
    try (SandboxApiServer api = SandboxApiServer.start(0);
        SandboxKubelet kubelet =
            new SandboxKubelet(
                    api.client(),
                    new ProcessPodLauncher(root.resolve(".sandbox/pods")),
                    Clock.systemUTC(),
                    Duration.ofMillis(250))
                .start();
        CanaryWatcher watcher = new CanaryWatcher(api.client(), System.out).start()) {
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      System.out.println("sandbox: Kubernetes API at " + api.url());
      System.out.println("sandbox: CRDs " + api.registerCrds(root.resolve("k8s/crds")));
      Path kubeconfig = api.writeKubeconfig(root.resolve(".sandbox/kubeconfig"));
      System.out.println(
          "sandbox: kubeconfig "
              + kubeconfig
              + " (kubectl --kubeconfig "
              + kubeconfig
              + " get canaries)");
      for (String example : EXAMPLES) {
        for (HasMetadata o : api.apply(root.resolve("k8s/examples").resolve(example))) {
          System.out.printf("sandbox: applied %s %s%n", o.getKind(), o.getMetadata().getName());
        }
      }
      System.out.println("sandbox: running; Ctrl-C stops every process it started");
      if (exitAfter.isZero()) {
        stop.await();
      } else {
        stop.await(exitAfter.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    System.out.println("sandbox: stopped");
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
