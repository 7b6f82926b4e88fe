package app.flagger.controller.workqueue;

import java.time.Duration;

/** Runs a task once after a delay: a timer in production, a list the test runs in tests. */
@FunctionalInterface
public interface Delays {
  void after(Duration delay, Runnable task);
}
