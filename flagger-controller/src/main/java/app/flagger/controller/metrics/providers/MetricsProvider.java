package app.flagger.controller.metrics.providers;

/**
 * A metrics backend (Flagger's {@code providers.Interface}): runs one query and returns one number.
 * Failures are {@link MetricsProviderException}s; an answer without data is the distinct {@link
 * NoValuesFoundException}, which halts the analysis instead of failing it. Range queries (a series
 * per query, for the judge) are optional: a provider that can give series says so in {@link
 * #supportsRangeQueries()}.
 */
public interface MetricsProvider {
  /** Runs {@code query} and returns its single value. */
  double runQuery(String query) throws MetricsProviderException;

  /** Whether the backend answers; throws with the reason when it does not. */
  boolean isOnline() throws MetricsProviderException;

  /** Whether {@link #runRangeQuery} gives series; false unless the provider overrides it. */
  default boolean supportsRangeQueries() {
    return false;
  }

  /**
   * Runs {@code query} over {@code window} and returns the values of its single series in time
   * order; an empty result is an empty array, several series a {@link MultipleValuesException}.
   * Providers without series support throw {@link UnsupportedOperationException}.
   */
  default double[] runRangeQuery(String query, RangeWindow window) throws MetricsProviderException {
    throw new UnsupportedOperationException("range queries");
  }
}
