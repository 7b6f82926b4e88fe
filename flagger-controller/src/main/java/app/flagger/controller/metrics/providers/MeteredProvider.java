package app.flagger.controller.metrics.providers;

import app.flagger.controller.observe.ControllerMetrics;
import java.time.Duration;

/**
 * Records every query of a provider as a {@code metrics_provider} call, also counted by the
 * template's {@code type}: its duration, and an error when the backend could not be asked or
 * refused the query. An answer without data or with several series is still an answer (the analysis
 * decides what it means), so it counts as a success.
 */
final class MeteredProvider implements MetricsProvider {
  private final MetricsProvider delegate;
  private final ControllerMetrics metrics;
  private final String type;

  /**
   * @param type the MetricTemplate type the calls are counted under
   */
  MeteredProvider(MetricsProvider delegate, ControllerMetrics metrics, String type) {
    this.delegate = delegate;
    this.metrics = metrics;
    this.type = type;
  }

  @Override
  public double runQuery(String query) throws MetricsProviderException {
    long start = System.nanoTime();
    boolean ok = false;
    try {
      double value = delegate.runQuery(query);
      ok = true;
      return value;
    } catch (NoValuesFoundException | MultipleValuesException e) {
      ok = true;
      throw e;
    } finally {
      metrics.recordProviderCall(type, Duration.ofNanos(System.nanoTime() - start), ok);
    }
  }

  @Override
  public boolean supportsRangeQueries() {
    return delegate.supportsRangeQueries();
  }

  @Override
  public double[] runRangeQuery(String query, RangeWindow window) throws MetricsProviderException {
    long start = System.nanoTime();
    boolean ok = false;
    try {
      double[] values = delegate.runRangeQuery(query, window);
      ok = true;
      return values;
    } catch (MultipleValuesException e) {
      ok = true;
      throw e;
    } finally {
      metrics.recordProviderCall(type, Duration.ofNanos(System.nanoTime() - start), ok);
    }
  }

  @Override
  public boolean isOnline() throws MetricsProviderException {
    long start = System.nanoTime();
    boolean ok = false;
    try {
      boolean online = delegate.isOnline();
      ok = online;
      return online;
    } finally {
      metrics.recordProviderCall(type, Duration.ofNanos(System.nanoTime() - start), ok);
    }
  }

  /** The provider being measured. */
  MetricsProvider delegate() {
    return delegate;
  }
}
