package app.flagger.loadtester.task;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits between polls of a remote test; tests pass one that does not wait. */
@FunctionalInterface
public interface Pause {
  /**
   * Waits {@code d} unless {@code cancelled} turns true first.
   *
   * @return false when cancelled
   */
  boolean pause(Duration d, BooleanSupplier cancelled);

  /** Parks the calling (virtual) thread in steps of at most 100 ms, checking for cancellation. */
  static Pause parking() {
    return (d, cancelled) -> {
      long end = System.nanoTime() + d.toNanos();
      while (!cancelled.getAsBoolean()) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return true;
        }
        LockSupport.parkNanos(Math.min(left, 100_000_000L));
      }
      return false;
    };
  }
}
