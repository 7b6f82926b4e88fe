package app.flagger.controller.metrics.observers;

import app.flagger.controller.metrics.providers.MetricsProvider;
import app.flagger.controller.metrics.providers.MetricsProviderException;
import app.flagger.controller.metrics.providers.NoValuesFoundException;
import app.flagger.controller.metrics.template.MetricTemplateModel;
import app.flagger.controller.metrics.template.QueryTemplate;
import app.flagger.controller.metrics.template.TemplateException;

/**
 * The builtin queries of one mesh or ingress (Flagger's {@code observers.Interface}): a success
 * rate in percent and a request duration. The queries are data (Go templates, see {@link
 * BuiltinObservers}); {@code durationInSeconds} says whether the duration query yields seconds (the
 * HTTP observer) rather than milliseconds, and {@code wordCharactersOnly} whether names are
 * sanitised before rendering (Skipper).
 */
public record Observer(
    String name,
    String successRateQuery,
    String durationQuery,
    boolean durationInSeconds,
    boolean wordCharactersOnly) {

  /**
   * Whether the queries select the workload by its name ({@code {{ target }}}), so the judge can
   * read the baseline with the same query rendered for the baseline workload: Istio, Linkerd, App
   * Mesh, OSM and the pod-name queries of Kubernetes and Gateway API. The others select a route or
   * cluster of the canary and have no baseline variant.
   */
  public boolean hasBaselineVariant() {
    return switch (name) {
      case "istio", "linkerd", "appmesh", "osm", "http" -> true;
      default -> false;
    };
  }

  /**
   * The queries counting successful and all requests over the interval, for {@code
   * request-success-rate} with {@code comparison.kind: proportion}; empty when the observer has no
   * baseline variant.
   */
  public java.util.Optional<RequestCounts> requestCounts() {
    return java.util.Optional.ofNullable(BuiltinObservers.requestCounts(name));
  }

  /** A count query of {@link #requestCounts()} rendered for {@code model}. */
  public String renderCount(String query, MetricTemplateModel model) throws TemplateException {
    return QueryTemplate.render(query, prepare(model));
  }

  /** The success-rate query rendered for {@code model}. */
  public String renderSuccessRate(MetricTemplateModel model) throws TemplateException {
    return QueryTemplate.render(successRateQuery, prepare(model));
  }

  /** The duration query rendered for {@code model}. */
  public String renderDuration(MetricTemplateModel model) throws TemplateException {
    return QueryTemplate.render(durationQuery, prepare(model));
  }

  /** The percentage of non-5xx requests. */
  public double requestSuccessRate(MetricsProvider provider, MetricTemplateModel model)
      throws MetricsProviderException, TemplateException {
    return run(provider, renderSuccessRateWrapped(model));
  }

  /**
   * The request duration in nanoseconds: whole milliseconds (Flagger truncates), except for
   * observers whose query yields seconds, which keep sub-millisecond precision.
   */
  public long requestDurationNanos(MetricsProvider provider, MetricTemplateModel model)
      throws MetricsProviderException, TemplateException {
    double value = run(provider, renderDurationWrapped(model));
    if (durationInSeconds) {
      return (long) (value * 1e9);
    }
    return ((long) value) * 1_000_000L;
  }

  /** Runs a query; failures read {@code running query failed: ...} as in Flagger's observers. */
  private static double run(MetricsProvider provider, String query)
      throws MetricsProviderException {
    try {
      return provider.runQuery(query);
    } catch (NoValuesFoundException e) {
      throw e.wrap("running query failed: ");
    } catch (MetricsProviderException e) {
      throw new MetricsProviderException("running query failed: " + e.getMessage(), e);
    }
  }

  private String renderSuccessRateWrapped(MetricTemplateModel model) throws TemplateException {
    try {
      return renderSuccessRate(model);
    } catch (TemplateException e) {
      throw new TemplateException("rendering query failed: " + e.getMessage());
    }
  }

  private String renderDurationWrapped(MetricTemplateModel model) throws TemplateException {
    try {
      return renderDuration(model);
    } catch (TemplateException e) {
      throw new TemplateException("rendering query failed: " + e.getMessage());
    }
  }

  private MetricTemplateModel prepare(MetricTemplateModel model) {
    return wordCharactersOnly ? model.withWordCharactersOnly() : model;
  }
}
