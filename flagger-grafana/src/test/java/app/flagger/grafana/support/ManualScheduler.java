package app.flagger.grafana.support;

import app.flagger.grafana.provision.TaskScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link TaskScheduler} whose tasks run only when the test says so; no real waiting. */
public final class ManualScheduler implements TaskScheduler {
  private final List<Pending> pending = new ArrayList<>();
  private final MutableClock clock;

  public ManualScheduler(MutableClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Pending p = new Pending(delay, task);
    pending.add(p);
    return () -> {
      synchronized (this) {
        pending.remove(p);
      }
    };
  }

  /** Delays of the tasks waiting to run, in scheduling order. */
  public synchronized List<Duration> pendingDelays() {
    return pending.stream().map(Pending::delay).toList();
  }

  /** Advances the clock by the next task's delay and runs it. */
  public void runNext() {
    Pending next;
    synchronized (this) {
      if (pending.isEmpty()) {
        throw new AssertionError("no task scheduled");
      }
      next = pending.remove(0);
    }
    clock.advance(next.delay());
    next.task().run();
  }

  private record Pending(Duration delay, Runnable task) {}
}
