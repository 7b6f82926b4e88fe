package app.flagger.controller.notifier;

/** A notifier could not be built or could not deliver; logged, never shown to the Canary. */
public class NotifierException extends Exception {
  public NotifierException(String message) {
    super(message);
  }

  public NotifierException(String message, Throwable cause) {
    super(message, cause);
  }
}
