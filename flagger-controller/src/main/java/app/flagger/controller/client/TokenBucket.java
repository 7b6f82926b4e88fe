package app.flagger.controller.client;

import java.util.function.LongSupplier;

/**
 * A token bucket (client-go's {@code flowcontrol.NewTokenBucketRateLimiter}): {@code qps} permits a
 * second, at most {@code burst} saved up. {@link #reserve()} always takes a permit and says how
 * long its holder must wait, so concurrent callers queue in arrival order (golang.org/x/time/rate's
 * {@code Reserve}). Time comes from an injected nanosecond source; the arithmetic is in integer
 * nano-permits, so a test driving a manual source counts permits exactly.
 */
public final class TokenBucket {
  private static final long ONE = 1_000_000_000L;

  private final long qps;
  private final long capacity;
  private final LongSupplier nanoTime;
  private long tokens;
  private long last;

  /**
   * @param qps permits per second, at least 1
   * @param burst bucket size, at least 1; the bucket starts full
   * @param nanoTime a monotonic nanosecond source ({@code System::nanoTime} in production)
   */
  public TokenBucket(int qps, int burst, LongSupplier nanoTime) {
    if (qps < 1 || burst < 1) {
      throw new IllegalArgumentException(
          "token bucket: expected qps >= 1 and burst >= 1, got qps=" + qps + " burst=" + burst);
    }
    this.qps = qps;
    this.capacity = burst * ONE;
    this.nanoTime = nanoTime;
    this.tokens = capacity;
    this.last = nanoTime.getAsLong();
  }

  /** Takes one permit; returns the nanoseconds to wait before using it (0 when one was saved). */
  public synchronized long reserve() {
    refill();
    tokens -= ONE;
    if (tokens >= 0) {
      return 0;
    }
    return ceilDiv(-tokens, qps);
  }

  /** Takes one permit only if one is available now. */
  public synchronized boolean tryAcquire() {
    refill();
    if (tokens < ONE) {
      return false;
    }
    tokens -= ONE;
    return true;
  }

  /** Permits available now, rounded down; negative while callers are queued. */
  public synchronized long available() {
    refill();
    return Math.floorDiv(tokens, ONE);
  }

  private void refill() {
    long now = nanoTime.getAsLong();
    long elapsed = now - last;
    last = now;
    if (elapsed <= 0) {
      return;
    }
    long room = capacity - tokens;
    // elapsed * qps nano-permits, without overflowing when the bucket has been idle for long
    tokens += elapsed >= ceilDiv(room, qps) ? room : elapsed * qps;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
