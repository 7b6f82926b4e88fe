package app.flagger.loadtester.curl;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The two limits of a run: curl's own {@code --max-time} (exit 28) and the load tester's task
 * timeout or shutdown ({@link Cancelled}).
 */
final class Deadline {
  /** Longest blocking wait before the limits are looked at again. */
  static final long SLICE_NANOS = Duration.ofMillis(200).toNanos();

  /** The task timeout passed or the task was cancelled. */
  static final class Cancelled extends RuntimeException {
    Cancelled() {
      super("cancelled", null, false, false);
    }
  }

  private final long start;
  private final long maxTimeEnd;
  private final BooleanSupplier cancelled;

  /**
   * @param maxTime curl's {@code -m}, null for none
   * @param cancelled true once the task must stop
   */
  Deadline(long start, Duration maxTime, BooleanSupplier cancelled) {
    this.start = start;
    this.maxTimeEnd = maxTime == null ? Long.MAX_VALUE : start + maxTime.toNanos();
    this.cancelled = cancelled;
  }

  long elapsedMillis() {
    return (System.nanoTime() - start) / 1_000_000;
  }

  double elapsedSeconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  /** Nanoseconds left before {@code --max-time}; Long.MAX_VALUE without one. */
  long maxTimeLeft() {
    return maxTimeEnd == Long.MAX_VALUE ? Long.MAX_VALUE : maxTimeEnd - System.nanoTime();
  }

  /**
   * @throws Cancelled when the task must stop
   * @throws CurlError 28 when {@code --max-time} has passed
   */
  void check(long bytes) throws CurlError {
    if (cancelled.getAsBoolean()) {
      throw new Cancelled();
    }
    if (maxTimeLeft() <= 0) {
      throw new CurlError(
          28,
          "Operation timed out after "
              + elapsedMillis()
              + " milliseconds with "
              + bytes
              + " bytes received");
    }
  }

  /** Milliseconds (at least 1) to block for before checking the limits again. */
  int sliceMillis() {
    long n = Math.min(SLICE_NANOS, maxTimeLeft());
    return (int) Math.max(1, n / 1_000_000);
  }
}
