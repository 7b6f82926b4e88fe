package app.flagger.sandbox;

import app.flagger.sandbox.kubelet.PodProcess;
import app.flagger.sandbox.kubelet.ProcessPodLauncher;
import app.flagger.sandbox.kubelet.SandboxKubelet;
import app.flagger.sandbox.mesh.SandboxMesh;
import app.flagger.sandbox.names.SandboxNames;
import app.flagger.sandbox.prometheus.PodTarget;
import app.flagger.sandbox.prometheus.SandboxPrometheus;
import app.flagger.sandbox.prometheus.ScrapeTarget;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The whole local sandbox, started in order and stopped in reverse: the Kubernetes API (with
 * Flagger's CRDs, the Istio, Gateway API and SMI ones, and a kubeconfig), the kubelet running pods
 * as processes, the mesh, and (when a binary is given) Prometheus scraping the mesh, every pod and
 * every exposed process every few seconds.
 */
public final class Sandbox implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Sandbox.class.getName());

  private final SandboxApiServer api;
  private final SandboxKubelet kubelet;
  private final SandboxMesh mesh;
  private final SandboxPrometheus prometheus;
  private final Path kubeconfig;
  private final Runnable uninstallNames;
  private final ScheduledExecutorService podDiscovery =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "sandbox-pod-discovery"));
  private List<PodTarget> lastPodTargets = List.of();
  private boolean closed;

  /**
   * How to start the sandbox.
   *
   * @param root the repository root (for {@code k8s/crds})
   * @param workDir where the kubeconfig, pod logs and Prometheus data go
   * @param prometheusBinary Prometheus to run, or null for none
   * @param scrapeInterval how often Prometheus scrapes
   * @param kubeletPeriod how often the kubelet reconciles and probes
   * @param seed the seed of the mesh's traffic split
   */
  public record Options(
      Path root,
      Path workDir,
      Path prometheusBinary,
      Duration scrapeInterval,
      Duration kubeletPeriod,
      long seed) {}

  private Sandbox(
      SandboxApiServer api,
      SandboxKubelet kubelet,
      SandboxMesh mesh,
      SandboxPrometheus prometheus,
      Path kubeconfig,
      Runnable uninstallNames) {
    this.uninstallNames = uninstallNames;
    this.api = api;
    this.kubelet = kubelet;
    this.mesh = mesh;
    this.prometheus = prometheus;
    this.kubeconfig = kubeconfig;
    if (prometheus != null) {
      podDiscovery.scheduleWithFixedDelay(this::publishPodTargets, 0, 1, TimeUnit.SECONDS);
    }
  }

  /**
   * Tells Prometheus which pods run now, so it scrapes each pod's own /metrics (podinfo's
   * http_request_duration_seconds, read by the kubernetes provider's builtin checks).
   */
  private void publishPodTargets() {
    List<PodTarget> now =
        kubelet.pods().stream()
            .filter(p -> p.port().isPresent())
            .sorted(Comparator.comparing(PodProcess::name))
            .map(
                p ->
                    new PodTarget(
                        "127.0.0.1:" + p.port().getAsInt(),
                        Map.of(
                            "namespace", p.namespace(),
                            "pod", p.name(),
                            "container", p.container(),
                            // the names Flagger's bundled Prometheus relabels pods to, which the
                            // builtin checks of the kubernetes provider select on
                            "kubernetes_namespace", p.namespace(),
                            "kubernetes_pod_name", p.name())))
            .toList();
    if (now.equals(lastPodTargets)) {
      return;
    }
    try {
      prometheus.podTargets(now);
      lastPodTargets = now;
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "pod targets for Prometheus not written", e);
    }
  }

  /**
   * The ports the mesh opens on its own loopback address, where cluster names resolve: podinfo's
   * 9898 and 80 for {@code http://flagger-loadtester.test/} and other exposed processes.
   */
  public static final List<Integer> SERVICE_PORTS = List.of(80, 9898);

  public static Sandbox start(Options o, Clock clock) throws IOException {
    SandboxApiServer api = SandboxApiServer.start(0);
    SandboxKubelet kubelet = null;
    SandboxMesh mesh = null;
    Runnable uninstallNames = () -> {};
    try {
      api.registerCrds(o.root().resolve("k8s/crds"));
      api.registerMeshCrds();
      Path kubeconfig = api.writeKubeconfig(o.workDir().resolve("kubeconfig"));
      kubelet =
          new SandboxKubelet(
                  api.client(),
                  new ProcessPodLauncher(o.workDir().resolve("pods")),
                  clock,
                  o.kubeletPeriod())
              .start();
      mesh =
          SandboxMesh.start(
              api.client(), kubelet, 0, new SplittableRandom(o.seed()), System::nanoTime);
      InetAddress services =
          mesh.openServicePorts(SERVICE_PORTS, ProcessHandle.current().pid() * 31 + o.seed());
      SandboxMesh m = mesh;
      uninstallNames =
          SandboxNames.install(h -> m.isClusterName(h) ? Optional.of(services) : Optional.empty());
      SandboxPrometheus prometheus =
          o.prometheusBinary() == null
              ? null
              : SandboxPrometheus.start(
                  o.prometheusBinary(),
                  List.of(ScrapeTarget.of("istio-mesh", mesh.metricsUrl())),
                  o.scrapeInterval(),
                  o.workDir().resolve("prometheus"),
                  clock,
                  Duration.ofSeconds(60));
      return new Sandbox(api, kubelet, mesh, prometheus, kubeconfig, uninstallNames);
    } catch (IOException | RuntimeException e) {
      uninstallNames.run();
      if (mesh != null) {
        mesh.close();
      }
      if (kubelet != null) {
        kubelet.close();
      }
      api.close();
      throw e;
    }
  }

  public SandboxApiServer api() {
    return api;
  }

  public SandboxKubelet kubelet() {
    return kubelet;
  }

  public SandboxMesh mesh() {
    return mesh;
  }

  public Optional<SandboxPrometheus> prometheus() {
    return Optional.ofNullable(prometheus);
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  /**
   * Makes a process that is not a pod (the load tester, the controller, a webhook receiver)
   * reachable as {@code http://<name>.<namespace>/} through the mesh and, when {@code metricsPath}
   * is not null, scraped by Prometheus as job {@code name}.
   */
  public void expose(String name, String namespace, int port, String metricsPath)
      throws IOException {
    mesh.register(name, namespace, port);
    if (prometheus != null && metricsPath != null) {
      prometheus.addTarget(new ScrapeTarget(name, "127.0.0.1:" + port, metricsPath));
    }
  }

  /** Stops everything it started, last first; safe to call twice (shutdown hook and main). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    podDiscovery.shutdownNow();
    uninstallNames.run();
    if (prometheus != null) {
      prometheus.close();
    }
    mesh.close();
    kubelet.close();
    api.close();
  }
}
