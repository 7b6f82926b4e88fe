package app.flagger.controller.metrics.providers;

/** The query returned a range or several series where one value was expected. */
public class MultipleValuesException extends MetricsProviderException {
  public static final String TEXT = "query returned multiple values";

  public MultipleValuesException() {
    super(TEXT);
  }

  /** With a detail instead of the standard text (range queries name the series count). */
  public MultipleValuesException(String message) {
    super(message);
  }
}
