package app.flagger.controller.bench;

import app.flagger.controller.scheduler.JobScheduler;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the ticks that finished: the scheduler skips a firing while the same Canary's previous
 * tick still runs, so lateness alone does not show a controller that cannot keep up.
 */
final class CountingJobScheduler implements JobScheduler {
  private final JobScheduler delegate;
  private final LongAdder finished = new LongAdder();

  CountingJobScheduler(JobScheduler delegate) {
    this.delegate = delegate;
  }

  long finished() {
    return finished.sum();
  }

  @Override
  public Job schedule(String name, Duration interval, Runnable task) {
    return delegate.schedule(
        name,
        interval,
        () -> {
          try {
            task.run();
          } finally {
            finished.increment();
          }
        });
  }

  @Override
  public void close() {
    delegate.close();
  }
}
