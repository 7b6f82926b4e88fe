package app.flagger.loadtester.task;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Runs an external program; the seam tests replace with a fake. */
public interface CommandExecutor {
  /**
   * Runs {@code argv} until it exits, {@code timeout} passes or {@code cancelled} turns true.
   *
   * @param timeout longest run time
   * @param cancelled polled while the program runs
   */
  Result run(List<String> argv, Duration timeout, BooleanSupplier cancelled);

  /**
   * @param exitCode the program's exit status, -1 when it could not start or was killed
   * @param output combined stdout and stderr (truncated)
   * @param timedOut true when it was killed for taking too long or on cancellation
   * @param error why it could not start, empty otherwise
   */
  record Result(int exitCode, String output, boolean timedOut, String error) {
    public boolean ok() {
      return exitCode == 0 && !timedOut && error.isEmpty();
    }
  }
}
