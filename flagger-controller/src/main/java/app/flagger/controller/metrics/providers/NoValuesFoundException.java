package app.flagger.controller.metrics.providers;

/**
 * The backend answered but had no value (empty result or NaN): Flagger's {@code ErrNoValuesFound}
 * sentinel. The message always starts with {@code no values found}.
 */
public class NoValuesFoundException extends MetricsProviderException {
  public static final String TEXT = "no values found";

  public NoValuesFoundException() {
    super(TEXT);
  }

  public NoValuesFoundException(String detail) {
    super(detail == null || detail.isEmpty() ? TEXT : TEXT + ": " + detail);
  }

  private NoValuesFoundException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The same sentinel with context in front, as Go's {@code fmt.Errorf("...: %w", err)}. */
  public NoValuesFoundException wrap(String prefix) {
    return new NoValuesFoundException(prefix + getMessage(), this);
  }
}
