package app.flagger.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.support.Crds;
import app.flagger.controller.support.MockApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Bounded caches, measured on the controller as it ships (its packaged jar, the image's JVM
 * options, the pod's limits): its heap after a full collection does not grow when 200 ConfigMaps of
 * 900 KiB that no target references are added to the cluster (180 MiB of data; before the caches
 * kept the data of referenced configs only, the heap grew by at least that much).
 *
 * <p>The ConfigMaps are added while the controller runs, so they reach it one watch event at a time
 * as in a cluster. A last ConfigMap, {@code marker}, is referenced by a second Canary's Deployment;
 * once the controller has copied it to {@code marker-primary} its ConfigMap watch has delivered
 * every event before it, the 200 included.
 */
class UnreferencedConfigsHeapJarIT {
  private static final int CONFIG_MAPS = 200;
  private static final int SIZE = 900 * 1024;
  private static final long DATA_KB = (long) CONFIG_MAPS * SIZE / 1024;

  @Test
  void theHeapDoesNotGrowWithUnreferencedConfigMaps() throws Exception {
    Path dir = JsonLogJarIT.MODULE.resolve("target/unreferenced-configs-it");
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try (MockApiServer api = MockApiServer.start();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(api.config(0)).build()) {
      Crds.register(client);
      BenchApiServer.seed(client, JsonLogJarIT.CANARY);
      BenchApiServer.finishRollouts(client, writer);
      Map<String, String> env = JsonLogJarIT.env(dir, client.getConfiguration().getMasterUrl());
      try (ControllerProcess controller =
          ControllerProcess.start(
              CanaryBenchIT.jar(JsonLogJarIT.MODULE), JsonLogJarIT.shipped(), env, dir)) {
        controller.awaitLogged("Initialization done!", Duration.ofMinutes(3));
        long before = JvmMemory.heapUsedKbAfterGc(controller.pid());

        for (int i = 0; i < CONFIG_MAPS; i++) {
          configMap(client, "unrelated-" + i, payload(i));
        }
        configMap(client, "marker", "referenced");
        BenchApiServer.seed(
            client,
            "app-1",
            d ->
                d.getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .setEnvFrom(
                        List.of(
                            new EnvFromSourceBuilder()
                                .withNewConfigMapRef()
                                .withName("marker")
                                .endConfigMapRef()
                                .build())));
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  assertThat(controller.alive())
                      .as(
                          "the controller still runs (heap limit of the shipped options); its"
                              + " log:%n%s",
                          controller.logTail(20))
                      .isTrue();
                  return configMaps(client).withName("marker-primary").get() != null;
                });
        long after = JvmMemory.heapUsedKbAfterGc(controller.pid());

        long grownKb = after - before;
        System.out.printf(
            Locale.ROOT,
            "BENCH-CONFIGS unreferencedConfigMaps=%d dataMB=%d heapBeforeMB=%d heapAfterMB=%d"
                + " grownMB=%d%n",
            CONFIG_MAPS,
            DATA_KB >> 10,
            before >> 10,
            after >> 10,
            grownKb >> 10);
        assertThat(configMaps(client).withName("marker-primary").get().getData())
            .containsEntry("blob", "referenced");
        assertThat(grownKb)
            .as(
                "heap growth in KB after adding %d KB of unreferenced ConfigMaps (before %d KB,"
                    + " after %d KB)",
                DATA_KB, before, after)
            .isLessThan(DATA_KB / 10);
      }
    } finally {
      writer.shutdownNow();
    }
  }

  /**
   * {@link #SIZE} characters that differ from every other ConfigMap's: identical values would be
   * collapsed into one by the JVM's string deduplication and hide what the cache keeps.
   */
  private static String payload(int i) {
    StringBuilder out = new StringBuilder(SIZE);
    java.util.Random random = new java.util.Random(i);
    while (out.length() < SIZE) {
      out.append((char) ('a' + random.nextInt(26)));
    }
    return out.toString();
  }

  private static void configMap(KubernetesClient client, String name, String blob) {
    configMaps(client)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(BenchApiServer.NS)
                .endMetadata()
                .withData(Map.of("blob", blob))
                .build())
        .create();
  }

  private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
          ConfigMap,
          io.fabric8.kubernetes.api.model.ConfigMapList,
          io.fabric8.kubernetes.client.dsl.Resource<ConfigMap>>
      configMaps(KubernetesClient client) {
    return client.configMaps().inNamespace(BenchApiServer.NS);
  }
}
