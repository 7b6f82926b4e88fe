package app.flagger.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Plays the Deployment controller and the kubelet of the sandbox. Every {@code period} it runs, for
 * each Deployment, {@code spec.replicas} pods (null means 1) of the current pod template as real
 * processes; replaces pods that died; rolls to a new template by starting the new pods first and
 * stopping the old ones once the new ones are ready; probes {@code /readyz}; and writes the
 * Deployment's status from what the pods really do.
 */
public final class SandboxKubelet implements PodDirectory, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SandboxKubelet.class.getName());

  /** How long a Deployment waits after a pod died before ever being ready. */
  static final Duration CRASH_BACKOFF = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final PodLauncher launcher;
  private final DeploymentStatusCalculator statuses;
  private final PodPublisher publisher;
  private final Duration period;
  private final Clock clock;
  private final Map<String, Instant> backoff = new ConcurrentHashMap<>();
  private final Map<String, PodProcess> pods = new ConcurrentHashMap<>();
  private final Map<String, Boolean> published = new ConcurrentHashMap<>();
  private final SplittableRandom random = new SplittableRandom();
  private final HttpClient probes =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "sandbox-kubelet"));
  private SharedIndexInformer<Deployment> informer;

  public SandboxKubelet(
      KubernetesClient client, PodLauncher launcher, Clock clock, Duration period) {
    this.client = client;
    this.launcher = launcher;
    this.statuses = new DeploymentStatusCalculator(clock);
    this.publisher = new PodPublisher(client);
    this.period = period;
    this.clock = clock;
  }

  public SandboxKubelet start() {
    informer = client.apps().deployments().inAnyNamespace().inform();
    loop.scheduleWithFixedDelay(this::tick, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  @Override
  public List<PodProcess> pods() {
    return List.copyOf(pods.values());
  }

  private void tick() {
    try {
      probeAll();
      Set<String> workloads = new HashSet<>();
      for (Deployment d : informer.getStore().list()) {
        String key = key(d.getMetadata().getNamespace(), d.getMetadata().getName());
        workloads.add(key);
        try {
          reconcile(d);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "deployment " + key + " not reconciled: " + e.getMessage(), e);
        }
      }
      for (PodProcess p : pods()) {
        if (!workloads.contains(key(p.namespace(), p.workload()))) {
          stop(p, "its Deployment is gone");
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "sandbox kubelet tick failed", e);
    }
  }

  private void reconcile(Deployment d) {
    PodTemplate want = PodTemplate.of(d, client.getKubernetesSerialization());
    int desired = DeploymentStatusCalculator.desiredReplicas(d);
    List<PodProcess> owned = owned(want.namespace(), want.workload());
    List<PodProcess> current = new ArrayList<>();
    List<PodProcess> old = new ArrayList<>();
    for (PodProcess p : owned) {
      (p.templateHash().equals(want.hash()) ? current : old).add(p);
    }
    String key = key(want.namespace(), want.workload());
    Instant notBefore = backoff.get(key);
    if (notBefore == null || !clock.instant().isBefore(notBefore)) {
      for (int i = current.size(); i < desired; i++) {
        launch(want).ifPresent(current::add);
      }
    }
    current.sort(Comparator.comparing((PodProcess p) -> p.ready()).thenComparing(PodProcess::name));
    while (current.size() > desired) {
      stop(current.removeFirst(), "scaled down");
    }
    if (desired == 0 || current.stream().filter(PodProcess::ready).count() >= desired) {
      old.forEach(p -> stop(p, "replaced by template " + want.hash()));
    }
    writeStatus(d, want.hash());
  }

  private Optional<PodProcess> launch(PodTemplate t) {
    String name = t.workload() + "-" + t.hash() + "-" + PodTemplate.suffix(random);
    try {
      PodProcess p = launcher.launch(t, name);
      pods.put(name, p);
      LOG.info(() -> "pod " + t.namespace() + "/" + name + " started (" + t.image() + ")");
      return Optional.of(p);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "pod " + name + " did not start", e);
      return Optional.empty();
    }
  }

  private void stop(PodProcess p, String why) {
    pods.remove(p.name());
    published.remove(p.name());
    p.stop();
    publisher.remove(p);
    LOG.info(() -> "pod " + p.namespace() + "/" + p.name() + " stopped: " + why);
  }

  /** Probes every pod's /readyz, reaps dead pods and republishes pods whose readiness changed. */
  private void probeAll() {
    List<CompletableFuture<Void>> running = new ArrayList<>();
    for (PodProcess p : pods()) {
      if (!p.alive()) {
        pods.remove(p.name());
        published.remove(p.name());
        publisher.remove(p);
        if (p.everReady()) {
          LOG.info(() -> "pod " + p.namespace() + "/" + p.name() + " exited");
        } else {
          // crash loop: wait before starting the next one
          backoff.put(key(p.namespace(), p.workload()), clock.instant().plus(CRASH_BACKOFF));
          LOG.warning(
              () ->
                  "pod %s/%s exited before it was ready (exit code %s); next try in %ds"
                      .formatted(p.namespace(), p.name(), p.exitCode(), CRASH_BACKOFF.toSeconds()));
        }
        continue;
      }
      if (p.port().isEmpty()) {
        continue;
      }
      HttpRequest probe =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.port().getAsInt() + "/readyz"))
              .timeout(Duration.ofSeconds(1))
              .build();
      running.add(
          probes
              .sendAsync(probe, HttpResponse.BodyHandlers.discarding())
              .handle((r, e) -> e == null && r.statusCode() == 200)
              .thenAccept(p::ready));
    }
    CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
    for (PodProcess p : pods()) {
      if (p.port().isPresent() && !Objects.equals(published.get(p.name()), p.ready())) {
        published.put(p.name(), p.ready());
        publisher.publish(p);
      }
    }
  }

  private void writeStatus(Deployment d, String hash) {
    List<PodProcess> owned = owned(d.getMetadata().getNamespace(), d.getMetadata().getName());
    DeploymentStatus want = statuses.statusFor(d, hash, owned);
    if (Objects.equals(d.getStatus(), want)) {
      return;
    }
    // The mock API server keeps a built-in kind's status only when the whole object is written,
    // so the kubelet edits the object rather than its /status subresource.
    try {
      client
          .apps()
          .deployments()
          .inNamespace(d.getMetadata().getNamespace())
          .withName(d.getMetadata().getName())
          .edit(
              current -> {
                // the template changed since this tick read it: leave the status for the next
                // tick, so observedGeneration never vouches for pods of an older template
                if (!PodTemplate.of(current, client.getKubernetesSerialization())
                    .hash()
                    .equals(hash)) {
                  return current;
                }
                current.setStatus(statuses.statusFor(current, hash, owned));
                return current;
              });
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "status of deployment " + d.getMetadata().getName() + " not written", e);
    }
  }

  private List<PodProcess> owned(String namespace, String workload) {
    return pods.values().stream()
        .filter(p -> p.namespace().equals(namespace) && p.workload().equals(workload))
        .toList();
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (informer != null) {
      informer.close();
    }
    for (PodProcess p : pods()) {
      p.kill();
    }
    pods.clear();
    probes.close();
  }
}
