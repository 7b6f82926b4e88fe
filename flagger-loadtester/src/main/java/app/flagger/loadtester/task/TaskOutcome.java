package app.flagger.loadtester.task;

/**
 * How a task ended.
 *
 * @param result the kind of ending
 * @param message why it failed, empty on success
 * @param output the command output or the load report
 */
public record TaskOutcome(Result result, String message, String output) {
  public enum Result {
    SUCCEEDED,
    /** The command failed or could not start. */
    FAILED,
    /** A load run finished but missed its pass/fail criteria. */
    CHECK_FAILED,
    /** The task ran into the per-task timeout or was cancelled on shutdown. */
    TIMED_OUT
  }

  public TaskOutcome {
    message = message == null ? "" : message;
    output = output == null ? "" : output;
  }

  public boolean succeeded() {
    return result == Result.SUCCEEDED;
  }
}
