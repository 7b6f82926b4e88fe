package app.flagger.loadtester.gate;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Gates kept in one ConfigMap in the load tester's namespace, so they survive restarts and every
 * replica sees the same state. An open gate is a data key (the gate key) whose value is the time it
 * was opened; closing removes the key. Writes use the ConfigMap's resourceVersion and retry on
 * conflict, so concurrent replicas do not lose each other's changes.
 */
public final class ConfigMapGateStore implements GateStore {
  private static final int ATTEMPTS = 8;

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final Clock clock;

  public ConfigMapGateStore(KubernetesClient client, String namespace, String name, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.clock = clock;
  }

  @Override
  public boolean isOpen(String key) {
    ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name).get();
    return cm != null && cm.getData() != null && cm.getData().containsKey(key);
  }

  @Override
  public void open(String key) {
    String since = clock.instant().toString();
    modify(data -> data.put(key, since), true);
  }

  @Override
  public void close(String key) {
    modify(data -> data.remove(key), false);
  }

  private void modify(Consumer<Map<String, String>> change, boolean createIfMissing) {
    KubernetesClientException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name).get();
        if (cm == null) {
          if (!createIfMissing) {
            return;
          }
          Map<String, String> data = new HashMap<>();
          change.accept(data);
          client.configMaps().inNamespace(namespace).resource(fresh(data)).create();
          return;
        }
        Map<String, String> data = new HashMap<>(cm.getData() == null ? Map.of() : cm.getData());
        change.accept(data);
        cm.setData(data);
        client.configMaps().inNamespace(namespace).resource(cm).update();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }

  private ConfigMap fresh(Map<String, String> data) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .addToLabels("app.kubernetes.io/name", "flagger-loadtester")
        .addToLabels("app.kubernetes.io/component", "gates")
        .endMetadata()
        .withData(data)
        .build();
  }
}
