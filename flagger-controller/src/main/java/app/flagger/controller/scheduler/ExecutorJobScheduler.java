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
 *
 * <p>A periodic job runs at once, then every {@code interval} from a phase of its own: the runs
 * after the first are shifted by up to half the interval, fixed per job name. Timers created
 * together (a thousand Canaries synced in one control-loop pass) then fire spread over half of
 * every interval instead of all in the same moment, so their ticks neither queue behind each other
 * nor hold memory all at once. With a tenth of the interval (at most 1 s), the first window tried,
 * a thousand analysing Canaries ticked in one-second waves that used more than the core for seconds
 * and filled the heap, and the collections that followed made 1 % of ticks start 100 to 250 ms
 * late. A Canary's second tick comes up to half an interval later than one interval after its first
 * (Flagger's first tick itself comes one interval after the Canary is seen).
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
    Runnable run = guarded(name, task);
    long period = interval.toNanos();
    ScheduledFuture<?> first = timer.schedule(run, 0, TimeUnit.NANOSECONDS);
    ScheduledFuture<?> rest =
        timer.scheduleAtFixedRate(run, period + phase(name, period), period, TimeUnit.NANOSECONDS);
    return () -> {
      first.cancel(false);
      rest.cancel(false);
    };
  }

  /** The shift of a job's runs after its first: fixed per name, below half the period. */
  static long phase(String name, long periodNanos) {
    long window = periodNanos / 2;
    return window <= 0 ? 0 : Math.floorMod(mix(name.hashCode()), window);
  }

  /** Spreads hash codes of similar names (app-1, app-2, ...) over the whole long range. */
  private static long mix(int h) {
    long x = h * 0x9E3779B97F4A7C15L;
    return x ^ (x >>> 29);
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
