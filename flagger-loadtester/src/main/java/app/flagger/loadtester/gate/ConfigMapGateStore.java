package app.flagger.loadtester.gate;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gates kept in one ConfigMap in the load tester's namespace, so they survive restarts and every
 * replica sees the same state. An open gate is a data key ({@link GateKey#dataKey()}) whose value
 * is the time it was opened; closing removes the key.
 *
 * <p>Checks read a watched copy of the ConfigMap (an informer on that one object), never the API
 * server: Flagger asks {@code /gate/check} on every tick of every waiting canary. Writes start from
 * that copy, carry its resourceVersion and on a conflict read the ConfigMap again and retry, so
 * concurrent replicas do not lose each other's changes; the written object becomes the copy at
 * once, so a check right after an open sees it.
 *
 * <p>The store holds at most {@code maxGates} open gates and never grows the ConfigMap past the 1
 * MiB the API server accepts: opening one more throws {@link GateStoreFullException}.
 */
public final class ConfigMapGateStore implements GateStore, AutoCloseable {
  /** Most bytes of data a ConfigMap may hold. */
  static final int MAX_CONFIGMAP_BYTES = 1024 * 1024;

  private static final int ATTEMPTS = 8;

  /** The ConfigMap as last seen; {@code object} is null while it does not exist. */
  private record Snapshot(ConfigMap object, long version) {
    static Snapshot of(ConfigMap cm) {
      return new Snapshot(cm, ConfigMapGateStore.version(cm));
    }

    Map<String, String> data() {
      return object == null || object.getData() == null ? Map.of() : object.getData();
    }
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final Clock clock;
  private final int maxGates;
  private final AtomicReference<Snapshot> current = new AtomicReference<>();
  private SharedIndexInformer<ConfigMap> informer;

  private ConfigMapGateStore(
      KubernetesClient client, String namespace, String name, Clock clock, int maxGates) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.clock = clock;
    this.maxGates = maxGates;
  }

  /**
   * Starts watching the ConfigMap {@code namespace/name} and returns once its current state is
   * known.
   *
   * @param maxGates most gates open at once ({@code loadtester.gates.max})
   * @throws KubernetesClientException when the ConfigMap cannot be listed or watched
   */
  public static ConfigMapGateStore start(
      KubernetesClient client, String namespace, String name, Clock clock, int maxGates) {
    ConfigMapGateStore store = new ConfigMapGateStore(client, namespace, name, clock, maxGates);
    store.informer =
        client.configMaps().inNamespace(namespace).withName(name).inform(store.new Watcher(), 0);
    store.informer.getStore().list().stream().findFirst().ifPresent(store::seen);
    store.current.compareAndSet(null, new Snapshot(null, -1));
    return store;
  }

  @Override
  public boolean isOpen(GateKey key) {
    return current.get().data().containsKey(key.dataKey());
  }

  @Override
  public void open(GateKey key) {
    modify(key, true);
  }

  @Override
  public void close(GateKey key) {
    modify(key, false);
  }

  /** Whether the watch is open (tests wait for it before stopping the API server). */
  boolean watching() {
    return informer.isWatching();
  }

  /** Stops the watch. */
  @Override
  public void close() {
    if (informer != null) {
      informer.stop();
    }
  }

  private void modify(GateKey key, boolean open) {
    ConfigMap cached = current.get().object();
    ConfigMap base = cached == null ? null : new ConfigMapBuilder(cached).build();
    boolean fromCache = true;
    KubernetesClientException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        if (base == null && fromCache) {
          base = fresh();
          fromCache = false;
        }
        if (base == null) {
          if (open) {
            seen(create(changed(Map.of(), key, true)));
          }
          return;
        }
        base.setData(changed(base.getData(), key, open));
        seen(client.configMaps().inNamespace(namespace).resource(base).update());
        return;
      } catch (GateStoreFullException e) {
        if (!fromCache) {
          throw e;
        }
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        last = e;
      }
      // the copy was stale (a conflict, or full by the cache's count): read the ConfigMap again
      base = fresh();
      fromCache = false;
    }
    throw last;
  }

  /** {@code data} with {@code key} opened or closed, within the store's bounds. */
  private Map<String, String> changed(Map<String, String> data, GateKey key, boolean open) {
    Map<String, String> out = new HashMap<>(data == null ? Map.of() : data);
    String k = key.dataKey();
    if (!open) {
      out.remove(k);
      return out;
    }
    if (!out.containsKey(k)
        && out.keySet().stream().filter(d -> GateKey.fromDataKey(d).isPresent()).count()
            >= maxGates) {
      throw GateStoreFullException.atMost(maxGates, key);
    }
    out.put(k, clock.instant().toString());
    long bytes =
        out.entrySet().stream()
            .mapToLong(
                e ->
                    e.getKey().getBytes(StandardCharsets.UTF_8).length
                        + e.getValue().getBytes(StandardCharsets.UTF_8).length)
            .sum();
    if (bytes > MAX_CONFIGMAP_BYTES) {
      throw new GateStoreFullException(
          "gate store full: the ConfigMap "
              + namespace
              + "/"
              + name
              + " would hold "
              + bytes
              + " bytes, over the 1 MiB (1048576 bytes) a ConfigMap may hold; "
              + key
              + " was not opened. Close gates that are no longer needed (/gate/close,"
              + " /rollback/close)");
    }
    return out;
  }

  private ConfigMap fresh() {
    ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name).get();
    if (cm != null) {
      seen(cm);
    }
    return cm == null ? null : new ConfigMapBuilder(cm).build();
  }

  private ConfigMap create(Map<String, String> data) {
    return client
        .configMaps()
        .inNamespace(namespace)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .addToLabels("app.kubernetes.io/name", "flagger-loadtester")
                .addToLabels("app.kubernetes.io/component", "gates")
                .endMetadata()
                .withData(data)
                .build())
        .create();
  }

  /**
   * Takes {@code cm} as the current state unless a newer one is known already (resourceVersions are
   * compared as numbers when both are; otherwise the later arrival wins).
   */
  private void seen(ConfigMap cm) {
    advance(Snapshot.of(new ConfigMapBuilder(cm).build()));
  }

  private void gone(ConfigMap cm) {
    advance(new Snapshot(null, version(cm)));
  }

  private void advance(Snapshot next) {
    current.accumulateAndGet(
        next,
        (prev, n) -> prev == null || n.version() < 0 || n.version() >= prev.version() ? n : prev);
  }

  private static long version(ConfigMap cm) {
    try {
      return Long.parseLong(cm.getMetadata().getResourceVersion());
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** Keeps {@link #current} up to date with the watch. */
  private final class Watcher implements ResourceEventHandler<ConfigMap> {
    @Override
    public void onAdd(ConfigMap cm) {
      seen(cm);
    }

    @Override
    public void onUpdate(ConfigMap old, ConfigMap cm) {
      seen(cm);
    }

    @Override
    public void onDelete(ConfigMap cm, boolean finalStateUnknown) {
      gone(cm);
    }
  }
}
