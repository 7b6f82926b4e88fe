package app.flagger.controller.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer store that slims each object before keeping it: {@code metadata.managedFields} (often
 * the largest part of a Deployment) is dropped, plus whatever {@code slim} removes. The objects are
 * the ones the watch just deserialized, so editing them in place copies nothing.
 */
final class LeanItemStore<T extends HasMetadata> implements ItemStore<T> {
  private final Map<String, T> items = new ConcurrentHashMap<>();
  private final UnaryOperator<T> slim;
  private final Predicate<T> keep;

  LeanItemStore(UnaryOperator<T> slim, Predicate<T> keep) {
    this.slim = slim;
    this.keep = keep;
  }

  LeanItemStore(UnaryOperator<T> slim) {
    this(slim, o -> true);
  }

  LeanItemStore() {
    this(UnaryOperator.identity());
  }

  @Override
  public String getKey(T obj) {
    return Cache.metaNamespaceKeyFunc(obj);
  }

  /**
   * Keeps {@code obj} unless the store's filter refuses it (another shard's Canary): a refused
   * object is not stored, so the informer reports it as added at each of its changes; handlers must
   * apply the same filter.
   */
  @Override
  public T put(String key, T obj) {
    if (!keep.test(obj)) {
      return items.remove(key);
    }
    if (obj.getMetadata() != null) {
      obj.getMetadata().setManagedFields(null);
    }
    return items.put(key, slim.apply(obj));
  }

  /**
   * Stores {@code replacement} under {@code key} if the store still holds {@code expected} (the
   * same instance); returns what the store holds afterwards.
   */
  T replaceIfSame(String key, T expected, T replacement) {
    return items.compute(key, (k, current) -> current == expected ? replacement : current);
  }

  @Override
  public T remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<T> values() {
    return items.values().stream();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public T get(String key) {
    return items.get(key);
  }
}
