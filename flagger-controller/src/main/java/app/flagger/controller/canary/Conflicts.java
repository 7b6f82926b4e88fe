package app.flagger.controller.canary;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Flagger's {@code retry.RetryOnConflict} for updates of target objects: the first attempt starts
 * from the cached object; when the API server answers 409 (the cache was behind, or someone else
 * wrote in between) the object is read again through the API and the update retried.
 */
final class Conflicts {
  static final int ATTEMPTS = 5;

  private Conflicts() {}

  /**
   * Runs {@code update} on {@code cached}, then on a {@code fresh} read after each conflict;
   * returns what the successful update returned.
   */
  static <T, R> R retry(T cached, Supplier<T> fresh, Function<T, R> update) {
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
}
