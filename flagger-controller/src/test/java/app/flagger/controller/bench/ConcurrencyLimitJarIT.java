package app.flagger.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.support.Crds;
import app.flagger.controller.support.MockApiServer;
import app.flagger.controller.tick.ConcurrencyLimit;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The concurrency limit on the controller as it ships: three Canaries released at once under {@code
 * FLAGGER_MAX_CONCURRENT_CANARIES=1} run one after the other. Every phase change is recorded from
 * one watch (so in the API server's order) and replayed: at no point are two releases running, all
 * three succeed, and the two that had to wait carried the {@code Queued} condition.
 */
class ConcurrencyLimitJarIT {
  private static final String NS = BenchApiServer.NS;
  private static final List<String> NAMES = List.of("app-0", "app-1", "app-2");

  private static final Set<CanaryPhase> RUNNING = ConcurrencyLimit.RUNNING;

  private record Change(String name, CanaryPhase phase, boolean queued) {}

  @Test
  void threeReleasesUnderALimitOfOneRunOneAfterTheOther() throws Exception {
    Path dir = JsonLogJarIT.MODULE.resolve("target/concurrency-limit-it");
    ExecutorService writer = Executors.newSingleThreadExecutor();
    List<Change> changes = new ArrayList<>();
    try (MockApiServer api = MockApiServer.start();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(api.config(0)).build()) {
      Crds.register(client);
      for (String name : NAMES) {
        BenchApiServer.seed(client, name);
        ControlCommandsJarIT.editAnalysis(client, name, 1, List.of());
      }
      BenchApiServer.finishRollouts(client, writer);
      var recorder =
          client
              .resources(Canary.class)
              .inNamespace(NS)
              .inform(
                  new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Canary c) {
                      record(changes, c);
                    }

                    @Override
                    public void onUpdate(Canary old, Canary c) {
                      record(changes, c);
                    }

                    @Override
                    public void onDelete(Canary c, boolean unknown) {}
                  });
      Map<String, String> env =
          new HashMap<>(JsonLogJarIT.env(dir, client.getConfiguration().getMasterUrl()));
      env.put("FLAGGER_MAX_CONCURRENT_CANARIES", "1");
      try (ControllerProcess controller =
          ControllerProcess.start(
              CanaryBenchIT.jar(JsonLogJarIT.MODULE), JsonLogJarIT.shipped(), env, dir)) {
        awaitAll(client, controller, CanaryPhase.INITIALIZED);
        for (String name : NAMES) {
          ControlCommandsJarIT.newRevision(client, name, "podinfo:2");
        }
        awaitAll(client, controller, CanaryPhase.SUCCEEDED);
      } finally {
        recorder.close();
      }
    } finally {
      writer.shutdownNow();
    }

    List<Change> seen;
    synchronized (changes) {
      seen = List.copyOf(changes);
    }
    Map<String, CanaryPhase> phases = new HashMap<>();
    int mostRunning = 0;
    for (Change c : seen) {
      phases.put(c.name(), c.phase());
      long running = phases.values().stream().filter(RUNNING::contains).count();
      mostRunning = Math.max(mostRunning, (int) running);
    }
    assertThat(mostRunning).as("releases running at once, from %s", seen).isEqualTo(1);
    assertThat(seen.stream().filter(Change::queued).map(Change::name).distinct().count())
        .as("Canaries that waited for a slot, from %s", seen)
        .isEqualTo(2);
  }

  private static void record(List<Change> changes, Canary c) {
    if (c.getStatus() == null || c.getStatus().phase() == null) {
      return;
    }
    boolean queued =
        c.getStatus().conditionsOrEmpty().stream()
            .anyMatch(k -> "Queued".equals(k.type()) && "True".equals(k.status()));
    synchronized (changes) {
      changes.add(new Change(c.getMetadata().getName(), c.getStatus().phase(), queued));
    }
  }

  private static void awaitAll(
      KubernetesClient client, ControllerProcess controller, CanaryPhase phase) {
    await()
        .atMost(Duration.ofMinutes(6))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              for (String name : NAMES) {
                ProviderPromotionJarIT.assertInPhase(client, controller, NS, name, phase);
              }
            });
  }
}
