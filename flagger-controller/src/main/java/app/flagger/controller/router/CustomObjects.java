package app.flagger.controller.router;

import app.flagger.controller.kube.Copies;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads of the custom objects a router owns (VirtualServices, DestinationRules, ...). {@link
 * #direct} asks the API server every time, as Flagger does. {@link #watching} serves them from a
 * watch of their kind instead: the first read of a kind goes to the API server and starts that
 * kind's informer (so only the kinds Canaries use are watched, and only once the API server knows
 * the kind); once it has synced, reads come from its store. With a thousand Canaries in analysis
 * that takes four of every tick's API calls away (the router's reconcile, the routes read and the
 * read before the weight update).
 *
 * <p>Every object returned is a copy the caller may change. Right after a router's write the watch
 * may still hold the version before it: {@link #wrote} records the object the API server returned,
 * and reads return that copy until the watch delivered a version at least as new (resourceVersions
 * compared as numbers, as etcd issues them; a version that is not a number is read from the API
 * server). An update computed from a stale copy fails with 409, and routers retry it from a fresh
 * read ({@link #fresh}). A kind whose watch cannot start (forbidden, unknown to the API server) is
 * read from the API server from then on, with one warning in the log.
 */
public final class CustomObjects implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(CustomObjects.class.getName());
  private static final long RESYNC_MILLIS = 0;

  private final KubernetesClient client;
  private final String namespace;
  private final boolean watch;
  private final Map<String, SharedIndexInformer<GenericKubernetesResource>> informers =
      new ConcurrentHashMap<>();
  private final Set<String> unwatchable = ConcurrentHashMap.newKeySet();
  private final Map<String, GenericKubernetesResource> written = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private CustomObjects(KubernetesClient client, String namespace, boolean watch) {
    this.client = client;
    this.namespace = namespace;
    this.watch = watch;
  }

  /** Every read asks the API server. */
  public static CustomObjects direct(KubernetesClient client) {
    return new CustomObjects(client, "", false);
  }

  /**
   * Reads served from watches of the kinds read.
   *
   * @param namespace the namespace watched; empty for all
   */
  public static CustomObjects watching(KubernetesClient client, String namespace) {
    return new CustomObjects(client, namespace == null ? "" : namespace, true);
  }

  /** The object, a copy the caller may change; null when it does not exist. */
  public GenericKubernetesResource get(ResourceDefinitionContext kind, String ns, String name) {
    String kindKey = kindKey(kind);
    SharedIndexInformer<GenericKubernetesResource> informer = informers.get(kindKey);
    if (informer == null || !informer.hasSynced()) {
      GenericKubernetesResource read = fresh(kind, ns, name);
      if (informer == null) {
        startWatch(kind, kindKey);
      }
      return read;
    }
    String key = key(kindKey, ns, name);
    GenericKubernetesResource cached =
        informer.getStore().getByKey(Cache.namespaceKeyFunc(ns, name));
    GenericKubernetesResource ours = written.get(key);
    if (ours != null) {
      long mine = version(ours);
      long seen = cached == null ? -1 : version(cached);
      if (mine < 0 || (cached != null && seen < 0)) {
        return fresh(kind, ns, name);
      }
      if (seen < mine) {
        return copy(ours);
      }
      written.remove(key, ours);
    }
    return cached == null ? null : copy(cached);
  }

  /** The object read from the API server; null when it does not exist. */
  public GenericKubernetesResource fresh(ResourceDefinitionContext kind, String ns, String name) {
    return client.genericKubernetesResources(kind).inNamespace(ns).withName(name).get();
  }

  /** Records an object as the API server returned it after a router's create or update. */
  public void wrote(ResourceDefinitionContext kind, GenericKubernetesResource stored) {
    if (!watch || stored == null || stored.getMetadata() == null) {
      return;
    }
    written.merge(
        key(kindKey(kind), stored.getMetadata().getNamespace(), stored.getMetadata().getName()),
        stored,
        (a, b) -> version(b) >= version(a) ? b : a);
  }

  /** The kinds being watched ({@code group/version/plural}), for tests. */
  public Set<String> watched() {
    return Set.copyOf(informers.keySet());
  }

  /** The informers, for tests that wait for the watches to catch up. */
  public java.util.Collection<SharedIndexInformer<GenericKubernetesResource>> informers() {
    return java.util.List.copyOf(informers.values());
  }

  @Override
  public void close() {
    closed = true;
    informers.values().forEach(SharedIndexInformer::stop);
    informers.clear();
  }

  private void startWatch(ResourceDefinitionContext kind, String kindKey) {
    if (!watch || closed || unwatchable.contains(kindKey)) {
      return;
    }
    informers.computeIfAbsent(
        kindKey,
        k -> {
          var resources = client.genericKubernetesResources(kind);
          SharedIndexInformer<GenericKubernetesResource> informer =
              namespace.isEmpty()
                  ? resources.inAnyNamespace().runnableInformer(RESYNC_MILLIS)
                  : resources.inNamespace(namespace).runnableInformer(RESYNC_MILLIS);
          // a watch that never started (forbidden, unknown kind) is not retried: reads go to the
          // API server; one that ran and broke is retried as any informer's
          informer.exceptionHandler((started, t) -> started);
          informer.addEventHandler(new CaughtUp(kindKey));
          informer
              .start()
              .whenComplete(
                  (v, e) -> {
                    if (e != null) {
                      LOG.log(
                          Level.WARNING,
                          "watch of "
                              + kindKey
                              + " could not start, reading it from the API server: "
                              + e.getMessage());
                      unwatchable.add(kindKey);
                      informers.remove(kindKey, informer);
                      informer.stop();
                    }
                  });
          return informer;
        });
  }

  private static GenericKubernetesResource copy(GenericKubernetesResource o) {
    return Copies.of(o);
  }

  private static long version(GenericKubernetesResource o) {
    String v = o.getMetadata() == null ? null : o.getMetadata().getResourceVersion();
    if (v == null) {
      return -1;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String kindKey(ResourceDefinitionContext kind) {
    return kind.getGroup() + "/" + kind.getVersion() + "/" + kind.getPlural();
  }

  private static String key(String kindKey, String ns, String name) {
    return kindKey + "/" + ns + "/" + name;
  }

  /** Forgets a written object once the watch delivered that version, or its deletion. */
  private final class CaughtUp implements ResourceEventHandler<GenericKubernetesResource> {
    private final String kindKey;

    CaughtUp(String kindKey) {
      this.kindKey = kindKey;
    }

    @Override
    public void onAdd(GenericKubernetesResource obj) {
      written.computeIfPresent(
          key(kindKey, obj.getMetadata().getNamespace(), obj.getMetadata().getName()),
          (k, ours) -> version(obj) >= version(ours) && version(ours) >= 0 ? null : ours);
    }

    @Override
    public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
      onAdd(newObj);
    }

    @Override
    public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
      written.remove(key(kindKey, obj.getMetadata().getNamespace(), obj.getMetadata().getName()));
    }
  }
}
