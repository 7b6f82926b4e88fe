package app.flagger.loadtester.task;

/** A webhook request that cannot become a task, with the HTTP status and message to answer. */
public final class TaskRejected extends RuntimeException {
  private final int status;

  public TaskRejected(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public static TaskRejected badRequest(String message) {
    return new TaskRejected(400, message);
  }

  public static TaskRejected forbidden(String message) {
    return new TaskRejected(403, message);
  }

  public int status() {
    return status;
  }
}
