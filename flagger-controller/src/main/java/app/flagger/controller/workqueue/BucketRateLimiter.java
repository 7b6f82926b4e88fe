package app.flagger.controller.workqueue;

import app.flagger.controller.client.TokenBucket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * An overall limit on retries, whatever the item (client-go's {@code BucketRateLimiter}): each
 * retry takes a permit from a token bucket of {@code qps} permits a second and {@code burst} in
 * reserve, and waits until its permit is due.
 */
public final class BucketRateLimiter<T> implements RateLimiter<T> {
  private final TokenBucket bucket;

  public BucketRateLimiter(int qps, int burst, Clock clock) {
    this.bucket = new TokenBucket(qps, burst, () -> nanos(clock.instant()));
  }

  @Override
  public Duration when(T item) {
    return Duration.ofNanos(bucket.reserve());
  }

  @Override
  public void forget(T item) {}

  @Override
  public int numRequeues(T item) {
    return 0;
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
