package app.flagger.controller.canary;

/** A target controller could not read or write a workload; the message is a Warning event. */
public class TargetException extends RuntimeException {
  public TargetException(String message) {
    super(message);
  }

  public TargetException(String message, Throwable cause) {
    super(message, cause);
  }
}
