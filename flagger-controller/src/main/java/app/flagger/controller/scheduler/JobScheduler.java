package app.flagger.controller.scheduler;

import java.time.Duration;

/**
 * Runs periodic jobs: once immediately, then every {@code interval}. Production uses {@link
 * ExecutorJobScheduler}; tests use a manual scheduler they tick by hand.
 */
public interface JobScheduler extends AutoCloseable {
  /** A scheduled job; {@link #cancel()} stops future runs (a run in flight finishes). */
  interface Job {
    void cancel();
  }

  Job schedule(String name, Duration interval, Runnable task);

  /** Stops scheduling and waits for runs in flight to finish. */
  @Override
  void close();
}
