package app.flagger.controller.support;

import app.flagger.controller.scheduler.JobScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link JobScheduler} that runs nothing by itself: tests run periodic jobs with {@link #run} and
 * the one-shot delays (the work queue's wake-ups) with {@link #runDelayed}.
 */
public final class ManualJobScheduler implements JobScheduler {
  /** A scheduled job as the test sees it. */
  public record Entry(String name, Duration interval, Runnable task) {}

  private final Map<String, Entry> jobs = new LinkedHashMap<>();
  private final List<Entry> delayed = new ArrayList<>();

  @Override
  public synchronized Job schedule(String name, Duration interval, Runnable task) {
    Entry e = new Entry(name, interval, task);
    jobs.put(name, e);
    return () -> {
      synchronized (this) {
        jobs.remove(name, e);
      }
    };
  }

  @Override
  public synchronized Job once(String name, Duration delay, Runnable task) {
    Entry e = new Entry(name, delay, task);
    delayed.add(e);
    return () -> {
      synchronized (this) {
        delayed.removeIf(x -> x == e);
      }
    };
  }

  /** Runs the job {@code name} once. */
  public void run(String name) {
    Entry e;
    synchronized (this) {
      e = jobs.get(name);
    }
    if (e == null) {
      throw new IllegalStateException("no job " + name + " in " + names());
    }
    e.task().run();
  }

  public synchronized List<String> names() {
    return List.copyOf(jobs.keySet());
  }

  public synchronized Entry entry(String name) {
    return jobs.get(name);
  }

  /** The one-shot tasks not run yet, {@code interval} being their delay. */
  public synchronized List<Entry> delayed() {
    return List.copyOf(delayed);
  }

  /** Runs every one-shot task scheduled so far, once (move the clock past their delay first). */
  public void runDelayed() {
    List<Entry> due;
    synchronized (this) {
      due = List.copyOf(delayed);
      delayed.clear();
    }
    due.forEach(e -> e.task().run());
  }

  @Override
  public void close() {}
}
