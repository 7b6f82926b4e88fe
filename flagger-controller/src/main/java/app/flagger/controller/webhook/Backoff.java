package app.flagger.controller.webhook;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Waits between webhook retries; tests use {@link #NONE}. */
@FunctionalInterface
public interface Backoff {
  void pause(Duration d);

  /** No waiting. */
  Backoff NONE = d -> {};

  /** Waits on a delayed executor (no sleeping thread of our own). */
  Backoff DELAYED =
      d ->
          CompletableFuture.runAsync(
                  () -> {}, CompletableFuture.delayedExecutor(d.toMillis(), TimeUnit.MILLISECONDS))
              .join();

  /** go-retryablehttp's default: 1 s × 2^attempt, capped at 30 s. */
  static Duration forAttempt(int attempt) {
    long seconds = Math.min(30, 1L << Math.min(attempt, 5));
    return Duration.ofSeconds(seconds);
  }
}
