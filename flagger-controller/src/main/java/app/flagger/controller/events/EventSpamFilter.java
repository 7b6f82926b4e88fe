package app.flagger.controller.events;

import io.fabric8.kubernetes.api.model.Event;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * client-go's {@code EventSourceObjectSpamFilter}: a token bucket per reporter, involved object and
 * event type. A bucket starts full with {@code burst} tokens and gains one token every {@code
 * refill}; an Event that finds no token is dropped. The buckets live in an LRU cache, so a
 * forgotten object starts again with a full bucket.
 */
final class EventSpamFilter {
  /** client-go's {@code defaultSpamBurst}. */
  static final int DEFAULT_BURST = 25;

  /** client-go's {@code defaultSpamQPS}: one Event every 300 seconds. */
  static final Duration DEFAULT_REFILL = Duration.ofMinutes(5);

  private final LruCache<EventKeys.Spam, TokenBucket> buckets;
  private final int burst;
  private final long refillNanos;
  private final Clock clock;

  EventSpamFilter(int cacheSize, int burst, Duration refill, Clock clock) {
    if (burst < 1) {
      throw new IllegalArgumentException("spam filter burst must be at least 1: " + burst);
    }
    if (refill.isNegative() || refill.isZero()) {
      throw new IllegalArgumentException("spam filter refill must be positive: " + refill);
    }
    this.buckets = new LruCache<>(cacheSize);
    this.burst = burst;
    this.refillNanos = refill.toNanos();
    this.clock = clock;
  }

  /** True when the Event is over its budget and must not be sent. */
  boolean filter(Event event) {
    EventKeys.Spam key = EventKeys.Spam.of(event);
    Instant now = clock.instant();
    TokenBucket bucket = buckets.get(key);
    if (bucket == null) {
      bucket = new TokenBucket(burst, refillNanos, now);
    }
    boolean accepted = bucket.tryTake(now, burst, refillNanos);
    buckets.put(key, bucket);
    return !accepted;
  }

  /**
   * golang.org/x/time/rate's token bucket, in whole nanoseconds of refill time so that a token
   * refilled after exactly {@code refill} is exactly one token: {@code credit} is the refill time
   * saved up, one token costs {@code refillNanos}, at most {@code burst} tokens are saved.
   */
  private static final class TokenBucket {
    private long credit;
    private Instant last;

    TokenBucket(int burst, long refillNanos, Instant now) {
      this.credit = burst * refillNanos;
      this.last = now;
    }

    boolean tryTake(Instant now, int burst, long refillNanos) {
      long full = burst * refillNanos;
      if (now.isAfter(last)) {
        Duration gap = Duration.between(last, now);
        credit =
            gap.compareTo(Duration.ofNanos(full)) >= 0
                ? full
                : Math.min(full, credit + gap.toNanos());
        last = now;
      }
      if (credit < refillNanos) {
        return false;
      }
      credit -= refillNanos;
      return true;
    }
  }
}
