package app.flagger.sandbox.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.sandbox.SandboxApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubelet runs real pod processes and keeps Deployment status true to them. */
class SandboxKubeletTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path logs;
  private SandboxApiServer api;
  private SandboxKubelet kubelet;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    api = SandboxApiServer.start(0);
    kubelet =
        new SandboxKubelet(
                api.client(),
                new ProcessPodLauncher(logs),
                Clock.systemUTC(),
                Duration.ofMillis(200))
            .start();
  }

  @AfterEach
  void stop() {
    kubelet.close();
    api.close();
    http.close();
  }

  static Deployment podinfo(int replicas, String image) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("podinfo")
        .withNamespace("test")
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", "podinfo")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "podinfo")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("podinfod")
        .withImage(image)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private DeploymentStatus status() {
    Deployment d = api.client().apps().deployments().inNamespace("test").withName("podinfo").get();
    return d == null || d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
  }

  private String get(PodProcess p, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.port().getAsInt() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Kills a pod's process: the Deployment is unready until the kubelet has replaced the pod. */
  @Test
  void deploymentStatusFollowsThePods() throws Exception {
    List<DeploymentStatus> seen = new CopyOnWriteArrayList<>();
    api.client().resource(podinfo(2, "ghcr.io/stefanprodan/podinfo:6.0.0")).create();
    try (Watch w =
        api.client()
            .apps()
            .deployments()
            .inNamespace("test")
            .withName("podinfo")
            .watch(recorder(seen))) {
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () -> {
                assertThat(status().getReadyReplicas()).isEqualTo(2);
                assertThat(status().getUpdatedReplicas()).isEqualTo(2);
                assertThat(status().getAvailableReplicas()).isEqualTo(2);
              });
      List<PodProcess> first = kubelet.pods();
      assertThat(first).hasSize(2).allMatch(PodProcess::ready);
      for (PodProcess p : first) {
        assertThat(get(p, "/")).contains("\"version\":\"6.0.0\"").contains(p.name());
        assertThat(p.name()).matches("podinfo-[a-z0-9]{10}-[a-z0-9]{5}");
      }
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () -> {
                List<Pod> objects = api.client().pods().inNamespace("test").list().getItems();
                assertThat(objects).hasSize(2);
                assertThat(objects.getFirst().getMetadata().getLabels())
                    .containsEntry("app", "podinfo");
                assertThat(objects.getFirst().getStatus().getPodIP()).isEqualTo("127.0.0.1");
              });

      // a crash: the Deployment goes unready, then the kubelet replaces the pod
      seen.clear();
      PodProcess victim = first.getFirst();
      victim.kill();
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () -> {
                assertThat(seen)
                    .anyMatch(s -> s.getReadyReplicas() != null && s.getReadyReplicas() < 2);
                assertThat(status().getReadyReplicas()).isEqualTo(2);
                assertThat(names(kubelet.pods())).hasSize(2).doesNotContain(victim.name());
              });
    }
  }

  @Test
  void rollsToANewTemplateAndScalesToZero() throws Exception {
    api.client().resource(podinfo(1, "ghcr.io/stefanprodan/podinfo:6.0.0")).create();
    await()
        .atMost(PATIENCE)
        .untilAsserted(() -> assertThat(status().getReadyReplicas()).isEqualTo(1));
    PodProcess old = kubelet.pods().getFirst();

    api.client()
        .apps()
        .deployments()
        .inNamespace("test")
        .withName("podinfo")
        .edit(
            d -> {
              d.getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .getFirst()
                  .setImage("ghcr.io/stefanprodan/podinfo:6.0.1");
              return d;
            });
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              List<PodProcess> now = kubelet.pods();
              assertThat(now).hasSize(1);
              assertThat(now.getFirst().templateHash()).isNotEqualTo(old.templateHash());
              assertThat(get(now.getFirst(), "/version")).contains("6.0.1");
              assertThat(status().getReplicas()).isEqualTo(1);
              assertThat(status().getUpdatedReplicas()).isEqualTo(1);
              assertThat(status().getReadyReplicas()).isEqualTo(1);
            });
    await().atMost(PATIENCE).until(() -> !old.alive());

    PodProcess replacement = kubelet.pods().getFirst();
    api.client().apps().deployments().inNamespace("test").withName("podinfo").scale(0);
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              assertThat(kubelet.pods()).isEmpty();
              assertThat(replacement.alive()).isFalse();
              assertThat(status().getReplicas()).isZero();
              assertThat(api.client().pods().inNamespace("test").list().getItems()).isEmpty();
            });
  }

  /** A pod that dies before it is ever ready is not restarted at once: crash-loop back-off. */
  @Test
  void backsOffWhenPodsCrashOnStart() {
    AtomicInteger launches = new AtomicInteger();
    PodLauncher real = new ProcessPodLauncher(logs);
    Clock frozen = Clock.fixed(java.time.Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    try (SandboxKubelet crashing =
        new SandboxKubelet(
                api.client(),
                (t, name) -> {
                  launches.incrementAndGet();
                  return real.launch(t, name);
                },
                frozen,
                Duration.ofMillis(100))
            .start()) {
      Deployment bad = podinfo(1, "ghcr.io/stefanprodan/podinfo:6.0.0");
      bad.getMetadata().setNamespace("crash");
      bad.getSpec()
          .getTemplate()
          .getSpec()
          .getContainers()
          .getFirst()
          .setEnv(List.of(new io.fabric8.kubernetes.api.model.EnvVar("ERROR_RATE", "lots", null)));
      api.client().resource(bad).create();
      await().atMost(PATIENCE).until(() -> launches.get() >= 1);
      await()
          .atMost(PATIENCE)
          .until(() -> crashing.pods().stream().noneMatch(p -> p.namespace().equals("crash")));
      // the clock never moves, so the back-off never ends: no second launch
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .until(() -> launches.get() == 1);
    }
  }

  private static Set<String> names(List<PodProcess> pods) {
    return pods.stream().map(PodProcess::name).collect(Collectors.toSet());
  }

  private static Watcher<Deployment> recorder(List<DeploymentStatus> seen) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Deployment d) {
        if (d.getStatus() != null) {
          seen.add(d.getStatus());
        }
      }

      @Override
      public void onClose(WatcherException e) {}
    };
  }
}
