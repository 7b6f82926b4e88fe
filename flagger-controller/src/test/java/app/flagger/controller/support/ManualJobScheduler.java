package app.flagger.controller.support;

import app.flagger.controller.scheduler.JobScheduler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link JobScheduler} that runs nothing by itself: tests run jobs with {@link #run}. */
public final class ManualJobScheduler implements JobScheduler {
  /** A scheduled job as the test sees it. */
  public record Entry(String name, Duration interval, Runnable task) {}

  private final Map<String, Entry> jobs = new LinkedHashMap<>();

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

  @Override
  public void close() {}
}
