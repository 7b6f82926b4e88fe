package app.flagger.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.support.MockApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bounded caches (issue 19, deliverable 6): 200 ConfigMaps of 900 KiB that no target references
 * must not be kept with their data by the informer cache, so the controller's heap does not grow
 * with the cluster's unrelated ConfigMaps.
 *
 * <p>Measured as the characters of {@code data}/{@code binaryData} the ConfigMap and Secret stores
 * retain (deterministic, unlike a heap reading after a GC request). Before the cache kept only
 * referenced configs with their data, it retained 184,320,000 characters (all 200 ConfigMaps).
 */
class UnreferencedConfigsKubeTest {
  private static final int CONFIG_MAPS = 200;
  private static final int SIZE = 900 * 1024;

  @Test
  void unreferencedConfigMapsAreCachedWithoutTheirData() {
    try (MockApiServer server = MockApiServer.start();
        KubernetesClient client =
            new KubernetesClientBuilder().withConfig(server.config(0)).build()) {
      String payload = "x".repeat(SIZE);
      for (int i = 0; i < CONFIG_MAPS; i++) {
        client
            .configMaps()
            .inNamespace("test")
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("unrelated-" + i)
                    .endMetadata()
                    .withData(Map.of("blob", payload))
                    .build())
            .create();
      }
      try (InformerCache cache = new InformerCache(client, "")) {
        cache.start();

        assertThat(cache.configMapMetadata("test", "unrelated-0"))
            .as("still known by name")
            .isNotNull();
        assertThat(retainedDataChars(cache)).as("data characters kept").isZero();

        assertThat(cache.configMap("test", "unrelated-7").getData())
            .as("a referenced ConfigMap is read with its data")
            .containsEntry("blob", payload);
        client
            .configMaps()
            .inNamespace("test")
            .withName("unrelated-7")
            .edit(cm -> new ConfigMapBuilder(cm).withData(Map.of("blob", "changed")).build());
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(cache.configMapMetadata("test", "unrelated-7").getData())
                        .as("a referenced ConfigMap keeps its data in the cache")
                        .containsEntry("blob", "changed"));
        assertThat(retainedDataChars(cache)).as("only the referenced one").isEqualTo(7);
      }
    }
  }

  /** Characters of config data the ConfigMap and Secret stores of {@code cache} keep. */
  static long retainedDataChars(InformerCache cache) {
    return cache.informers().stream()
        .flatMap(i -> i.getStore().list().stream())
        .mapToLong(UnreferencedConfigsKubeTest::dataChars)
        .sum();
  }

  private static long dataChars(HasMetadata o) {
    Map<String, String> data = null;
    Map<String, String> more = null;
    if (o instanceof ConfigMap cm) {
      data = cm.getData();
      more = cm.getBinaryData();
    } else if (o instanceof Secret s) {
      data = s.getData();
      more = s.getStringData();
    }
    return chars(data) + chars(more);
  }

  private static long chars(Map<String, String> m) {
    return m == null ? 0 : m.values().stream().mapToLong(String::length).sum();
  }
}
