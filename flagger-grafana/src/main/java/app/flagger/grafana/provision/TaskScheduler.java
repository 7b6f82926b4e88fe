package app.flagger.grafana.provision;

import java.time.Duration;

/**
 * Runs a task after a delay. Production uses {@link ExecutorTaskScheduler}; tests use a manual
 * scheduler that runs the pending task on demand, so retries and backoff need no real waiting.
 */
public interface TaskScheduler {

  /** Schedules {@code task} to run once after {@code delay}. */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that has not run yet. */
  interface Cancellable {
    void cancel();
  }
}
