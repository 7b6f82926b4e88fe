package app.flagger.controller.scheduler;

import java.time.Duration;

/**
 * Runs timers: periodic jobs (once immediately, then every {@code interval}) and one-shot delays.
 * The controller's tasks only put a key on the work queue, so they are short. Production uses
 * {@link ExecutorJobScheduler}; tests use a manual scheduler they run by hand.
 */
public interface JobScheduler extends AutoCloseable {
  /** A scheduled job; {@link #cancel()} stops future runs (a run in flight finishes). */
  interface Job {
    void cancel();
  }

  /** Runs {@code task} now and then every {@code interval}; runs of one job never overlap. */
  Job schedule(String name, Duration interval, Runnable task);

  /** Runs {@code task} once, after {@code delay}. */
  Job once(String name, Duration delay, Runnable task);

  /** Stops scheduling; a run in flight finishes. */
  @Override
  void close();
}
