package app.flagger.controller.support;

import app.flagger.controller.kube.InformerCache;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * Waits until the controller's informer caches hold exactly what the API server holds (same
 * objects, same resourceVersions). Tests write through the API and then tick at once; a real
 * controller ticks seconds apart, long after the watch delivered the change. Waiting here keeps the
 * hand-driven ticks deterministic while they still read from the caches.
 */
public final class CacheSync {
  private CacheSync() {}

  public static void await(InformerCache cache, KubernetesClient client) {
    Map<String, String> api = versions(apiObjects(client));
    Awaitility.await()
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(2))
        .atMost(Duration.ofSeconds(30))
        .until(() -> versions(cached(cache)).equals(api));
  }

  /**
   * Waits until every running informer of {@code cache} has its watch open. Call before closing a
   * controller right after starting it: stopping an informer while its watch is still being opened
   * can leave that connection open, and the mock server then fails to shut down ("Unable to close
   * MockWebServer").
   */
  public static void awaitWatching(InformerCache cache) {
    Awaitility.await()
        .pollInterval(Duration.ofMillis(10))
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                cache.informers().stream()
                    .filter(i -> i.isRunning())
                    .allMatch(i -> i.isWatching()));
  }

  /**
   * Waits until every informer of an all-namespaces cache has listed and then opened its watch (a
   * second GET of its collection). Stopping an informer while its watch is still being opened can
   * leave that connection open, and the mock server then fails to shut down.
   */
  public static void awaitWatches(FaultInjectingDispatcher api) {
    List<String> collections =
        List.of(
            "/apis/apps/v1/deployments",
            "/apis/apps/v1/daemonsets",
            "/api/v1/configmaps",
            "/api/v1/secrets",
            "/api/v1/services",
            "/apis/autoscaling/v2/horizontalpodautoscalers",
            "/apis/flagger.app/v1beta1/canaries");
    Awaitility.await()
        .pollInterval(Duration.ofMillis(10))
        .atMost(Duration.ofSeconds(30))
        .until(() -> collections.stream().allMatch(p -> api.requests("GET", p) >= 2));
  }

  private static Stream<? extends HasMetadata> apiObjects(KubernetesClient c) {
    return Stream.of(
            c.apps().deployments().inAnyNamespace().list().getItems(),
            c.apps().daemonSets().inAnyNamespace().list().getItems(),
            c.configMaps().inAnyNamespace().list().getItems(),
            c.secrets().inAnyNamespace().list().getItems(),
            c.autoscaling().v2().horizontalPodAutoscalers().inAnyNamespace().list().getItems(),
            c.services().inAnyNamespace().list().getItems(),
            c.resources(Canary.class).inAnyNamespace().list().getItems())
        .flatMap(List::stream);
  }

  private static Stream<? extends HasMetadata> cached(InformerCache cache) {
    return cache.informers().stream().flatMap(i -> i.getStore().list().stream());
  }

  private static Map<String, String> versions(Stream<? extends HasMetadata> objects) {
    Map<String, String> out = new TreeMap<>();
    objects.forEach(
        o ->
            out.put(
                o.getKind()
                    + "/"
                    + o.getMetadata().getNamespace()
                    + "/"
                    + o.getMetadata().getName(),
                o.getMetadata().getResourceVersion()));
    return out;
  }
}
