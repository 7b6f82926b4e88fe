package app.flagger.controller.workqueue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-item exponential backoff (client-go's {@code ItemExponentialFailureRateLimiter}): the n-th
 * failure of an item in a row waits {@code base * 2^(n-1)}, at most {@code max}.
 */
public final class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  private final long baseNanos;
  private final Duration max;
  private final Map<T, Integer> failures = new HashMap<>();

  public ItemExponentialFailureRateLimiter(Duration base, Duration max) {
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException(
          "item backoff: expected 0 < base <= max, got base=" + base + " max=" + max);
    }
    this.baseNanos = base.toNanos();
    this.max = max;
  }

  @Override
  public synchronized Duration when(T item) {
    int exp = failures.getOrDefault(item, 0);
    failures.put(item, exp == Integer.MAX_VALUE ? exp : exp + 1);
    // base << exp overflows once exp reaches the number of free high bits
    if (exp >= Long.numberOfLeadingZeros(baseNanos) - 1) {
      return max;
    }
    long nanos = baseNanos << exp;
    return nanos > max.toNanos() ? max : Duration.ofNanos(nanos);
  }

  @Override
  public synchronized void forget(T item) {
    failures.remove(item);
  }

  @Override
  public synchronized int numRequeues(T item) {
    return failures.getOrDefault(item, 0);
  }
}
