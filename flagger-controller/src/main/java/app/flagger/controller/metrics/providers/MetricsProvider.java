package app.flagger.controller.metrics.providers;

/**
 * A metrics backend (Flagger's {@code providers.Interface}): runs one query and returns one number.
 * Failures are {@link MetricsProviderException}s; an answer without data is the distinct {@link
 * NoValuesFoundException}, which halts the analysis instead of failing it.
 */
public interface MetricsProvider {
  /** Runs {@code query} and returns its single value. */
  double runQuery(String query) throws MetricsProviderException;

  /** Whether the backend answers; throws with the reason when it does not. */
  boolean isOnline() throws MetricsProviderException;
}
