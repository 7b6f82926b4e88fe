package app.flagger.controller.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Informer caches of the objects a tick reads: Canaries ({@link CanaryCache}), Deployments,
 * DaemonSets, ConfigMaps, Secrets, Services and HorizontalPodAutoscalers (autoscaling/v2), in one
 * namespace or all. Ticks read from here instead of asking the API server on every tick; writes
 * still go to the API server.
 *
 * <p>The objects returned are the cached instances, shared with every other reader: never edit
 * them; clone first ({@code KubernetesSerialization.clone}) when an update needs a changed copy.
 *
 * <p>Right after the controller writes an object the cache may still hold the previous version (the
 * watch delivers it a moment later, or after a reconnect). Code that must see its own write uses
 * the API server's answer to that write, or re-reads through the API on a 409 conflict. For the
 * workloads, whose readiness a later tick judges, the controller also reports what it wrote ({@link
 * #wrote}): until the cached copy has reached that {@code metadata.generation}, reads of that
 * object go to the API server, so a tick never judges a primary on the version from before its own
 * promotion.
 *
 * <p>To keep the controller small with thousands of workloads, each object is stored without {@code
 * managedFields}, Secrets of types that config tracking never copies (service account tokens, Helm
 * releases, pull secrets, ...) without their data, and ConfigMaps and Secrets no target has
 * referenced without their data either: the cache grows with the configs targets use, not with the
 * cluster's.
 */
public final class InformerCache implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(InformerCache.class.getName());

  private final Map<String, HasMetadata> written = new ConcurrentHashMap<>();
  private final SharedIndexInformer<Deployment> deployments;
  private final SharedIndexInformer<DaemonSet> daemonSets;
  private final KubernetesClient client;
  private final SharedIndexInformer<ConfigMap> configMaps;
  private final SharedIndexInformer<Secret> secrets;
  private final LeanItemStore<ConfigMap> configMapStore;
  private final LeanItemStore<Secret> secretStore;
  // "<Kind>/<namespace>/<name>" of the configs a target referenced (kept with their data), and of
  // the configs stored without their data because no target referenced them yet
  private final Set<String> referenced = ConcurrentHashMap.newKeySet();
  private final Set<String> stripped = ConcurrentHashMap.newKeySet();
  private final SharedIndexInformer<HorizontalPodAutoscaler> hpas;
  private final SharedIndexInformer<Service> services;
  private final CanaryCache canaries;
  private volatile boolean started;

  /** Informers (not started) on {@code namespace}, or on all namespaces when it is empty. */
  public InformerCache(KubernetesClient client, String namespace) {
    this(client, namespace, 0);
  }

  /**
   * Informers (not started) on {@code namespace}, or on all namespaces when it is empty; the Canary
   * informer resyncs every {@code canaryResyncMillis} (0: never).
   */
  public InformerCache(KubernetesClient client, String namespace, long canaryResyncMillis) {
    this(client, namespace, canaryResyncMillis, Shard.ALL);
  }

  /**
   * As {@link #InformerCache(KubernetesClient, String, long)}, keeping only the Canaries of {@code
   * shard}; the other informers stay cluster-wide (any shard's target may read any of them).
   */
  public InformerCache(
      KubernetesClient client, String namespace, long canaryResyncMillis, Shard shard) {
    this.canaries = new CanaryCache(client, namespace, canaryResyncMillis, shard);
    this.deployments = informer(client.apps().deployments(), namespace, new LeanItemStore<>());
    this.daemonSets = informer(client.apps().daemonSets(), namespace, new LeanItemStore<>());
    deployments.addEventHandler(new CaughtUp<>());
    daemonSets.addEventHandler(new CaughtUp<>());
    this.client = client;
    this.configMapStore = new LeanItemStore<>(this::dataIfReferenced);
    this.secretStore = new LeanItemStore<>(s -> dataIfReferenced(withoutData(s)));
    this.configMaps = informer(client.configMaps(), namespace, configMapStore);
    this.secrets = informer(client.secrets(), namespace, secretStore);
    this.hpas =
        informer(
            client.autoscaling().v2().horizontalPodAutoscalers(), namespace, new LeanItemStore<>());
    this.services = informer(client.services(), namespace, new LeanItemStore<>());
  }

  private static <T extends HasMetadata, L extends KubernetesResourceList<T>>
      SharedIndexInformer<T> informer(
          MixedOperation<T, L, ? extends Resource<T>> op,
          String namespace,
          LeanItemStore<T> store) {
    Informable<T> source = namespace.isEmpty() ? op.inAnyNamespace() : op.inNamespace(namespace);
    // Lookups are by namespace/name only, so the namespace index would be dead weight.
    return source.runnableInformer(0).itemStore(store).removeNamespaceIndex();
  }

  /** Untracked Secret types keep their metadata and type (existence checks), not their data. */
  private static Secret withoutData(Secret s) {
    if (!SecretData.trackedType(s.getType())) {
      s.setData(null);
      s.setStringData(null);
    }
    return s;
  }

  /**
   * Keeps a ConfigMap's or tracked Secret's data only when a target referenced it ({@link
   * #configMap}, {@link #secret}), so unrelated configs, however large, cost their metadata only.
   */
  private <T extends HasMetadata> T dataIfReferenced(T o) {
    String key = configKey(o);
    boolean hasData;
    if (o instanceof ConfigMap cm) {
      hasData = cm.getData() != null || cm.getBinaryData() != null;
    } else {
      Secret s = (Secret) o;
      hasData = s.getData() != null || s.getStringData() != null;
    }
    if (!hasData || referenced.contains(key)) {
      stripped.remove(key);
      return o;
    }
    if (o instanceof ConfigMap cm) {
      cm.setData(null);
      cm.setBinaryData(null);
    } else {
      ((Secret) o).setData(null);
      ((Secret) o).setStringData(null);
    }
    stripped.add(key);
    return o;
  }

  private static String configKey(HasMetadata o) {
    String kind = o instanceof ConfigMap ? "ConfigMap" : "Secret";
    return configKey(kind, o.getMetadata().getNamespace(), o.getMetadata().getName());
  }

  private static String configKey(String kind, String namespace, String name) {
    return kind + "/" + namespace + "/" + name;
  }

  /**
   * The cached config, with its data: the first read of a config stored without data marks it
   * referenced (later versions keep their data) and reads it once through the API server.
   */
  private <T extends HasMetadata> T referencedConfig(
      SharedIndexInformer<T> informer,
      LeanItemStore<T> store,
      String kind,
      String namespace,
      String name,
      Resource<T> api) {
    String key = configKey(kind, namespace, name);
    referenced.add(key);
    T cached = get(informer, namespace, name);
    if (cached == null || !stripped.contains(key)) {
      return cached;
    }
    T fresh = api.get();
    if (fresh == null) {
      return null;
    }
    fresh.getMetadata().setManagedFields(null);
    T kept = store.replaceIfSame(Cache.namespaceKeyFunc(namespace, name), cached, fresh);
    if (kept == fresh) {
      stripped.remove(key);
    }
    return kept;
  }

  /** Starts every informer and returns once all have listed their objects. */
  public void start() {
    started = true;
    List<CompletableFuture<Void>> synced =
        informers().stream().map(i -> i.start().toCompletableFuture()).toList();
    try {
      CompletableFuture.allOf(synced.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      throw new IllegalStateException(
          "informers failed to sync: " + e.getCause().getMessage(), e.getCause());
    }
    LOG.info(
        () ->
            "Informer caches synced: "
                + deployments.getStore().list().size()
                + " deployments, "
                + daemonSets.getStore().list().size()
                + " daemonsets, "
                + configMaps.getStore().list().size()
                + " configmaps, "
                + secrets.getStore().list().size()
                + " secrets, "
                + hpas.getStore().list().size()
                + " horizontalpodautoscalers, "
                + services.getStore().list().size()
                + " services, "
                + canaries.informer().getStore().list().size()
                + " canaries");
  }

  /** Whether every informer has synced. */
  public boolean synced() {
    return informers().stream().allMatch(SharedIndexInformer::hasSynced);
  }

  /** Stops the watches and waits a little for them to close (a graceful shutdown). */
  @Override
  public void close() {
    informers().forEach(SharedIndexInformer::stop);
    if (!started) {
      return;
    }
    try {
      CompletableFuture.allOf(
              informers().stream()
                  .map(i -> i.stopped().toCompletableFuture())
                  .toArray(CompletableFuture[]::new))
          .get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.fine(() -> "informers did not stop cleanly: " + e);
    }
  }

  public Deployment deployment(String namespace, String name) {
    return readYourWrites(deployments, Deployment.class, namespace, name);
  }

  public DaemonSet daemonSet(String namespace, String name) {
    return readYourWrites(daemonSets, DaemonSet.class, namespace, name);
  }

  /**
   * A ConfigMap a target references, with its data (from then on kept with its data in the cache).
   */
  public ConfigMap configMap(String namespace, String name) {
    return referencedConfig(
        configMaps,
        configMapStore,
        "ConfigMap",
        namespace,
        name,
        client.configMaps().inNamespace(namespace).withName(name));
  }

  /** A Secret a target references, with its data when its type is tracked. */
  public Secret secret(String namespace, String name) {
    return referencedConfig(
        secrets,
        secretStore,
        "Secret",
        namespace,
        name,
        client.secrets().inNamespace(namespace).withName(name));
  }

  /**
   * A cached ConfigMap as the cache holds it, possibly without its data (e.g. the resourceVersion
   * of a {@code -primary} copy); does not mark it referenced.
   */
  public ConfigMap configMapMetadata(String namespace, String name) {
    return get(configMaps, namespace, name);
  }

  /** A cached Secret as the cache holds it, possibly without its data. */
  public Secret secretMetadata(String namespace, String name) {
    return get(secrets, namespace, name);
  }

  public HorizontalPodAutoscaler hpa(String namespace, String name) {
    return get(hpas, namespace, name);
  }

  public Service service(String namespace, String name) {
    return get(services, namespace, name);
  }

  /** The Canaries, with the copies the controller wrote itself. */
  public CanaryCache canaries() {
    return canaries;
  }

  /**
   * Records a Deployment or DaemonSet as the API server returned it after the controller's write;
   * reads return it until the cache has caught up with its generation.
   */
  public void wrote(HasMetadata object) {
    if (object != null && object.getMetadata().getGeneration() != null) {
      object.getMetadata().setManagedFields(null);
      written.merge(key(object), object, (a, b) -> generation(b) >= generation(a) ? b : a);
    }
  }

  private <T extends HasMetadata> T readYourWrites(
      SharedIndexInformer<T> informer, Class<T> type, String namespace, String name) {
    T cached = get(informer, namespace, name);
    HasMetadata ours = written.get(type.getSimpleName() + "/" + namespace + "/" + name);
    if (ours == null || (cached != null && generation(cached) >= generation(ours))) {
      return cached;
    }
    return type.cast(ours);
  }

  private static long generation(HasMetadata o) {
    Long g = o.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  private static String key(HasMetadata o) {
    return o.getClass().getSimpleName()
        + "/"
        + o.getMetadata().getNamespace()
        + "/"
        + o.getMetadata().getName();
  }

  /** The informers, for tests that wait until the caches caught up with their own writes. */
  public List<SharedIndexInformer<? extends HasMetadata>> informers() {
    return List.of(
        deployments, daemonSets, configMaps, secrets, hpas, services, canaries.informer());
  }

  /** Forgets a written object once the watch delivered that generation, or its deletion. */
  private final class CaughtUp<T extends HasMetadata> implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T obj) {
      written.computeIfPresent(
          key(obj), (k, ours) -> generation(obj) >= generation(ours) ? null : ours);
    }

    @Override
    public void onUpdate(T oldObj, T newObj) {
      onAdd(newObj);
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
      written.remove(key(obj));
    }
  }

  private static <T> T get(SharedIndexInformer<T> informer, String namespace, String name) {
    return informer.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
  }
}
