package app.flagger.controller.scheduler;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link JobScheduler} on a {@link ScheduledExecutorService}: a small pool of platform threads runs
 * the tasks themselves, which only enqueue work (the ticks run on the work queue's workers). A task
 * that throws is logged and its job keeps running.
 */
public final class ExecutorJobScheduler implements JobScheduler {
  private static final Logger LOG = Logger.getLogger(ExecutorJobScheduler.class.getName());

  private final ScheduledExecutorService timer;

  public ExecutorJobScheduler(int timerThreads) {
    this.timer =
        Executors.newScheduledThreadPool(
            timerThreads, Thread.ofPlatform().daemon().name("canary-timer-", 0).factory());
  }

  @Override
  public Job schedule(String name, Duration interval, Runnable task) {
    ScheduledFuture<?> f =
        timer.scheduleAtFixedRate(guarded(name, task), 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public Job once(String name, Duration delay, Runnable task) {
    ScheduledFuture<?> f =
        timer.schedule(guarded(name, task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  /** A periodic task that throws would never run again: log it instead. */
  private static Runnable guarded(String name, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "job " + name + " failed: " + e.getMessage(), e);
      }
    };
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
