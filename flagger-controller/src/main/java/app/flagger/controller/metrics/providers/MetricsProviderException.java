package app.flagger.controller.metrics.providers;

/** A metrics query or health check failed; the message is shown in Warning events. */
public class MetricsProviderException extends Exception {
  public MetricsProviderException(String message) {
    super(message);
  }

  public MetricsProviderException(String message, Throwable cause) {
    super(message, cause);
  }
}
