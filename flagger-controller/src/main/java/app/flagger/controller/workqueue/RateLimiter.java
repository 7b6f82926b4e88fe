package app.flagger.controller.workqueue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * How long an item waits before it comes back after a failure (client-go's {@code
 * workqueue.RateLimiter}).
 */
public interface RateLimiter<T> {
  /** The delay before {@code item} is processed again; counts one more failure of it. */
  Duration when(T item);

  /** Forgets the failures of {@code item} (it was processed successfully). */
  void forget(T item);

  /** How many times {@code item} failed since it was last forgotten. */
  int numRequeues(T item);

  /**
   * client-go's {@code DefaultControllerRateLimiter}: the longer of a per-item exponential backoff
   * (5 ms doubling up to 1000 s) and an overall token bucket (10 a second, 100 in reserve).
   */
  static <T> RateLimiter<T> controllerDefault(Clock clock) {
    return maxOf(
        List.of(
            new ItemExponentialFailureRateLimiter<T>(
                Duration.ofMillis(5), Duration.ofSeconds(1000)),
            new BucketRateLimiter<T>(10, 100, clock)));
  }

  /** The longest delay any of {@code limiters} asks for (client-go's {@code MaxOfRateLimiter}). */
  static <T> RateLimiter<T> maxOf(List<RateLimiter<T>> limiters) {
    List<RateLimiter<T>> all = List.copyOf(limiters);
    return new RateLimiter<>() {
      @Override
      public Duration when(T item) {
        Duration longest = Duration.ZERO;
        for (RateLimiter<T> l : all) {
          Duration d = l.when(item);
          if (d.compareTo(longest) > 0) {
            longest = d;
          }
        }
        return longest;
      }

      @Override
      public void forget(T item) {
        all.forEach(l -> l.forget(item));
      }

      @Override
      public int numRequeues(T item) {
        return all.stream().mapToInt(l -> l.numRequeues(item)).max().orElse(0);
      }
    };
  }
}
