package app.flagger.controller.kube;

import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The Canary informer's cache plus the newest copy of each Canary the controller wrote itself (the
 * API server's answer to a status patch or finalizer update). A tick reads whichever of the two has
 * the higher {@code resourceVersion}, so it sees its own previous write even before the watch
 * delivered it. When a resourceVersion is not a number, or the cache does not hold the Canary, the
 * caller reads through the API instead.
 *
 * <p>With sharding ({@link Shard}) this is where another shard's Canaries are dropped, as they
 * arrive from the watch: the store never keeps them, and {@link #owned} handlers never see them.
 * Everything downstream (syncs, ticks, status writes, events, gauges, the concurrency limit) starts
 * from this cache, so none of it happens for another shard's Canary.
 *
 * <p>Returned objects are copies: callers may edit them.
 */
public final class CanaryCache {
  private final SharedIndexInformer<Canary> informer;
  private final Map<String, Canary> written = new ConcurrentHashMap<>();
  private final Shard shard;

  CanaryCache(KubernetesClient client, String namespace, long resyncMillis, Shard shard) {
    this.shard = shard;
    var op = client.resources(Canary.class);
    Informable<Canary> source =
        namespace.isEmpty() ? op.inAnyNamespace() : op.inNamespace(namespace);
    this.informer =
        source
            .runnableInformer(resyncMillis)
            .itemStore(new LeanItemStore<>(UnaryOperator.identity(), this::owns))
            .removeNamespaceIndex();
    informer.addEventHandler(owned(new Forget()));
  }

  /** Whether this controller's shard handles {@code canary}. */
  public boolean owns(Canary canary) {
    return shard.owns(canary.getMetadata().getNamespace(), canary.getMetadata().getName());
  }

  /**
   * {@code handler} seeing only this shard's Canaries: add this to the {@link #informer()}, not the
   * handler itself (the informer reports another shard's Canary as added at each change, since its
   * store does not keep it).
   */
  public ResourceEventHandler<Canary> owned(ResourceEventHandler<Canary> handler) {
    if (!shard.sharded()) {
      return handler;
    }
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Canary obj) {
        if (owns(obj)) {
          handler.onAdd(obj);
        }
      }

      @Override
      public void onUpdate(Canary oldObj, Canary newObj) {
        if (owns(newObj)) {
          handler.onUpdate(oldObj, newObj);
        }
      }

      @Override
      public void onDelete(Canary obj, boolean deletedFinalStateUnknown) {
        if (owns(obj)) {
          handler.onDelete(obj, deletedFinalStateUnknown);
        }
      }
    };
  }

  /** The informer (the controller adds its sync handler to it). */
  public SharedIndexInformer<Canary> informer() {
    return informer;
  }

  /**
   * A copy of the newest known version of the Canary, or {@code null} when it must be read through
   * the API (not cached, or a resourceVersion that is not a number).
   */
  public Canary get(String namespace, String name) {
    Canary cached = informer.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
    if (cached == null) {
      return null;
    }
    Canary ours = written.get(key(namespace, name));
    if (ours == null) {
      return copy(cached);
    }
    long c = version(cached);
    long o = version(ours);
    if (c < 0 || o < 0) {
      return null;
    }
    return copy(o > c ? ours : cached);
  }

  /**
   * The newest known version of every cached Canary (the informer's or the controller's own write),
   * not copied: callers only read them.
   */
  public List<Canary> all() {
    List<Canary> out = new ArrayList<>();
    informer
        .getStore()
        .list()
        .forEach(
            cached -> {
              Canary ours =
                  written.get(
                      key(cached.getMetadata().getNamespace(), cached.getMetadata().getName()));
              out.add(ours != null && version(ours) > version(cached) ? ours : cached);
            });
    return out;
  }

  /** Remembers the API server's answer to the controller's own write of a Canary. */
  public void wrote(Canary canary) {
    if (canary == null || canary.getMetadata() == null) {
      return;
    }
    Canary kept = copy(canary);
    kept.getMetadata().setManagedFields(null);
    written.merge(
        key(kept.getMetadata().getNamespace(), kept.getMetadata().getName()),
        kept,
        (a, b) -> version(a) >= 0 && version(a) > version(b) ? a : b);
  }

  /** Forgets the written copy of a Canary the API server no longer has. */
  public void forget(String namespace, String name) {
    written.remove(key(namespace, name));
  }

  /** How many written copies are remembered (tests). */
  public int remembered() {
    return written.size();
  }

  /**
   * A copy a caller may change the metadata of: the metadata is copied, the spec and status are
   * shared (immutable records the controller only reads; a new status is built with a StatusBuilder
   * and written). A serialization round trip here was a fifth of an analysing tick's CPU.
   */
  private static Canary copy(Canary c) {
    Canary out = new Canary();
    out.setApiVersion(c.getApiVersion());
    out.setKind(c.getKind());
    out.setMetadata(
        c.getMetadata() == null ? null : new ObjectMetaBuilder(c.getMetadata()).build());
    out.setSpec(c.getSpec());
    out.setStatus(c.getStatus());
    return out;
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  /** The resourceVersion as a number, or -1 when it is missing or not a number. */
  static long version(Canary c) {
    String rv = c.getMetadata().getResourceVersion();
    if (rv == null || rv.isEmpty() || rv.length() > 18) {
      return -1;
    }
    for (int i = 0; i < rv.length(); i++) {
      if (!Character.isDigit(rv.charAt(i))) {
        return -1;
      }
    }
    return Long.parseLong(rv);
  }

  /** Drops a written copy once the watch delivered that version (or newer), or the deletion. */
  private final class Forget implements ResourceEventHandler<Canary> {
    @Override
    public void onAdd(Canary obj) {
      written.computeIfPresent(
          key(obj.getMetadata().getNamespace(), obj.getMetadata().getName()),
          (k, ours) -> version(obj) >= 0 && version(obj) >= version(ours) ? null : ours);
    }

    @Override
    public void onUpdate(Canary oldObj, Canary newObj) {
      onAdd(newObj);
    }

    @Override
    public void onDelete(Canary obj, boolean deletedFinalStateUnknown) {
      forget(obj.getMetadata().getNamespace(), obj.getMetadata().getName());
    }
  }
}
