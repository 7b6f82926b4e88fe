package app.flagger.controller.router;

/** A router could not read or write its objects; the message is shown in a Warning event. */
public class RouterException extends RuntimeException {
  public RouterException(String message) {
    super(message);
  }

  public RouterException(String message, Throwable cause) {
    super(message, cause);
  }
}
