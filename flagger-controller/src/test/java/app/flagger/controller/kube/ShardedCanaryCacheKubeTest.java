package app.flagger.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.support.CacheSync;
import app.flagger.controller.support.Crds;
import app.flagger.model.canary.Canary;
import app.flagger.model.support.MockServerShutdown;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * With sharding the Canary cache keeps only its shard's Canaries, and a handler added through
 * {@link CanaryCache#owned} hears only about them, although the informer watches every Canary.
 */
class ShardedCanaryCacheKubeTest {
  private static final String NS = "team";
  private static final Shard SHARD = new Shard(1, 3);

  @Test
  void anotherShardsCanariesAreNeitherCachedNorReported() {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    List<String> names = IntStream.range(0, 30).mapToObj(i -> "app-" + i).toList();
    Set<String> ours = names.stream().filter(n -> SHARD.owns(NS, n)).collect(Collectors.toSet());
    Set<String> heard = ConcurrentHashMap.newKeySet();
    Set<String> updated = ConcurrentHashMap.newKeySet();
    Set<String> deleted = ConcurrentHashMap.newKeySet();
    try (KubernetesClient client = server.createClient();
        InformerCache cache = new InformerCache(client, "", 0, SHARD)) {
      Crds.register(client);
      names.forEach(n -> create(client, n));
      cache
          .canaries()
          .informer()
          .addEventHandler(
              cache
                  .canaries()
                  .owned(
                      new ResourceEventHandler<>() {
                        @Override
                        public void onAdd(Canary c) {
                          heard.add(c.getMetadata().getName());
                        }

                        @Override
                        public void onUpdate(Canary old, Canary c) {
                          updated.add(c.getMetadata().getName());
                        }

                        @Override
                        public void onDelete(Canary c, boolean unknown) {
                          deleted.add(c.getMetadata().getName());
                        }
                      }));
      cache.start();
      CacheSync.awaitWatching(cache);

      assertThat(ours).isNotEmpty().hasSizeLessThan(names.size());
      await().atMost(Duration.ofSeconds(30)).until(() -> heard.equals(ours));
      assertThat(cache.canaries().all())
          .extracting(c -> c.getMetadata().getName())
          .containsExactlyInAnyOrderElementsOf(ours);
      for (String n : names) {
        assertThat(cache.canaries().get(NS, n) != null).as(n).isEqualTo(ours.contains(n));
      }

      // every Canary changes, then goes: only ours are reported, each once as what it is
      for (String n : names) {
        client
            .resources(Canary.class)
            .inNamespace(NS)
            .withName(n)
            .edit(
                c -> {
                  c.getMetadata().setLabels(java.util.Map.of("changed", "yes"));
                  return c;
                });
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> updated.equals(ours));
      names.forEach(n -> client.resources(Canary.class).inNamespace(NS).withName(n).delete());
      await().atMost(Duration.ofSeconds(30)).until(() -> deleted.equals(ours));
      assertThat(heard).isEqualTo(ours);
      assertThat(cache.canaries().all()).isEmpty();
    } finally {
      MockServerShutdown.destroy(server::destroy);
    }
  }

  private static void create(KubernetesClient client, String name) {
    Canary c = new Canary();
    c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    client.resources(Canary.class).inNamespace(NS).resource(c).create();
  }
}
