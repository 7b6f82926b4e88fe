package app.flagger.loadtester.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/** When a run ends: at a deadline, after a number of requests, or when cancelled. */
final class RunBudget {
  private final long endNanos;
  private final AtomicLong remaining;
  private final BooleanSupplier cancelled;

  RunBudget(long endNanos, long requests, BooleanSupplier cancelled) {
    this.endNanos = endNanos;
    this.remaining = requests > 0 ? new AtomicLong(requests) : null;
    this.cancelled = cancelled;
  }

  long endNanos() {
    return endNanos;
  }

  /** Takes one request from the budget; false when none is left. */
  boolean acquire() {
    return remaining == null || remaining.getAndDecrement() > 0;
  }

  boolean exhausted() {
    return remaining != null && remaining.get() <= 0;
  }

  /** True at or after the deadline, or once cancelled. */
  boolean over(long now) {
    return now - endNanos >= 0 || cancelled.getAsBoolean();
  }
}
