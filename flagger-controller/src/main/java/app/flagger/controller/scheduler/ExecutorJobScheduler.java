package app.flagger.controller.scheduler;

import app.flagger.controller.observe.ControllerMetrics;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link JobScheduler} on a {@link ScheduledExecutorService}: a small pool of platform threads
 * triggers the jobs and each run executes on a virtual thread, so a slow tick never delays others.
 * Runs of one job never overlap. Records tick lateness.
 */
public final class ExecutorJobScheduler implements JobScheduler {
  private static final Logger LOG = Logger.getLogger(ExecutorJobScheduler.class.getName());

  private final ScheduledExecutorService timer;
  private final java.util.concurrent.ExecutorService runner =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("canary-job-", 0).factory());
  private final ControllerMetrics metrics;

  public ExecutorJobScheduler(int timerThreads, ControllerMetrics metrics) {
    this.timer =
        Executors.newScheduledThreadPool(
            timerThreads, Thread.ofPlatform().daemon().name("canary-timer-", 0).factory());
    this.metrics = metrics;
  }

  @Override
  public Job schedule(String name, Duration interval, Runnable task) {
    long period = interval.toNanos();
    long start = System.nanoTime();
    var running = new java.util.concurrent.atomic.AtomicBoolean();
    var runs = new java.util.concurrent.atomic.AtomicLong();
    ScheduledFuture<?> f =
        timer.scheduleAtFixedRate(
            () -> {
              long due = start + runs.getAndIncrement() * period;
              metrics.recordLateness(Duration.ofNanos(System.nanoTime() - due));
              if (!running.compareAndSet(false, true)) {
                return;
              }
              runner.execute(
                  () -> {
                    try {
                      task.run();
                    } catch (RuntimeException e) {
                      LOG.log(Level.SEVERE, "job " + name + " failed: " + e.getMessage(), e);
                    } finally {
                      running.set(false);
                    }
                  });
            },
            0,
            period,
            TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    runner.shutdown();
    try {
      runner.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
