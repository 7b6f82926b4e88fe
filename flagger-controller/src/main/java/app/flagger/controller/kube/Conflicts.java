package app.flagger.controller.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Writes that start from the informer cache and fall back to the API server when the cache was
 * behind. Updates follow Flagger's {@code retry.RetryOnConflict}: the first attempt starts from the
 * cached object; when the API server answers 409 (the cache was behind, or someone else wrote in
 * between) the object is read again through the API and the update retried. A create of an object
 * the cache did not know yet returns the existing one, read through the API.
 */
public final class Conflicts {
  private static final Logger LOG = Logger.getLogger(Conflicts.class.getName());
  static final int ATTEMPTS = 5;

  private Conflicts() {}

  /**
   * Runs {@code update} on {@code cached}, then on a {@code fresh} read after each conflict;
   * returns what the successful update returned.
   */
  public static <T, R> R retry(T cached, Supplier<T> fresh, Function<T, R> update) {
    T current = cached;
    for (int attempt = 1; ; attempt++) {
      try {
        return update.apply(current);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= ATTEMPTS) {
          throw e;
        }
        current = fresh.get();
      }
    }
  }

  /**
   * Creates {@code desired} and returns it as the API server stored it (the cache will not hold it
   * before the watch delivers it, so whatever this tick checks next must use this answer). When it
   * already exists, the cache had not seen it yet: returns it as read through the API.
   */
  public static <T extends HasMetadata> T createOrGet(
      NonNamespaceOperation<T, ?, ? extends Resource<T>> op, T desired) {
    try {
      T created = op.resource(desired).create();
      LOG.info(
          () ->
              desired.getKind()
                  + " "
                  + desired.getMetadata().getName()
                  + "."
                  + desired.getMetadata().getNamespace()
                  + " created");
      return created;
    } catch (KubernetesClientException e) {
      T existing = e.getCode() == 409 ? op.withName(desired.getMetadata().getName()).get() : null;
      if (existing == null) {
        throw e;
      }
      return existing;
    }
  }
}
