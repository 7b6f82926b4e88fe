package app.flagger.controller.metrics;

import app.flagger.controller.judge.MetricInput;
import app.flagger.controller.judge.MetricSamples;
import app.flagger.controller.metrics.MetricAnalysis.Comparisons;
import app.flagger.controller.metrics.MetricsLookup.LookupException;
import app.flagger.controller.metrics.observers.Observer;
import app.flagger.controller.metrics.observers.RequestCounts;
import app.flagger.controller.metrics.providers.MetricsProvider;
import app.flagger.controller.metrics.providers.MetricsProviderException;
import app.flagger.controller.metrics.providers.NoValuesFoundException;
import app.flagger.controller.metrics.providers.RangeWindow;
import app.flagger.controller.metrics.template.MetricTemplateModel;
import app.flagger.controller.metrics.template.QueryTemplate;
import app.flagger.controller.metrics.template.TemplateException;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.ComparisonKind;
import app.flagger.model.common.NamedReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the judge's samples: for each metric with a {@code comparison}, the same query for the
 * canary and for the baseline as range queries over the metric's {@code interval} ending at the
 * tick ({@link RangeWindow#ending}: 30 steps, at least one second each); for {@code kind:
 * proportion}, event and total counts over the interval as instant queries (any provider).
 *
 * <p>What is compared with what: the canary query is the metric's query as the threshold check
 * renders it ({@code {{ target }}} is the canary workload); the baseline query is the same query
 * rendered with {@code {{ target }}} set to the baseline workload ({@link
 * MetricTemplateModel#forBaseline}). Builtin metrics use their mesh's query the same way, which
 * works for the meshes that select the workload by name ({@link Observer#hasBaselineVariant}).
 */
final class ComparisonSeries {
  /** What the metric checks know: the providers, the templates and the builtin queries. */
  interface Sources {
    MetricsProvider prometheus(Canary canary) throws MetricsProviderException;

    TemplateProvider template(Canary canary, CanaryMetric metric)
        throws TemplateProvider.ResolveException;

    String providerKey(Canary canary);

    Observer observer(Canary canary);

    String route(Canary canary) throws LookupException;
  }

  private final Sources sources;

  ComparisonSeries(Sources sources) {
    this.sources = sources;
  }

  Comparisons read(Canary canary, List<CanaryMetric> metrics, Instant end) {
    List<MetricInput> inputs = new ArrayList<>();
    for (CanaryMetric metric : metrics) {
      if (!metric.compared()) {
        continue;
      }
      try {
        inputs.add(
            new MetricInput(metric.name(), metric.comparison(), series(canary, metric, end)));
      } catch (SeriesException e) {
        return new Comparisons(
            inputs, Optional.of("metric " + metric.name() + ": " + e.getMessage()));
      }
    }
    return new Comparisons(inputs, Optional.empty());
  }

  private MetricSamples series(Canary canary, CanaryMetric metric, Instant end)
      throws SeriesException {
    MetricTemplateModel model;
    try {
      model = MetricTemplateModel.of(canary, metric, sources.route(canary));
    } catch (LookupException e) {
      throw new SeriesException("error fetching the Knative route: " + e.getMessage());
    }
    if (metric.comparison().kindOrDefault() == ComparisonKind.PROPORTION) {
      return counts(canary, metric, model);
    }
    Queries queries = queries(canary, metric, model);
    RangeWindow window = RangeWindow.ending(end, metric.intervalDuration());
    return new MetricSamples.Series(
        range(queries, queries.canary(), window), range(queries, queries.baseline(), window));
  }

  /**
   * The event counts of a {@code kind: proportion} metric, each an instant query at the tick
   * covering the metric's interval: for the builtin {@code request-success-rate} the mesh's
   * successful and all requests ({@link Observer#requestCounts()}); for a template metric its
   * template (the events) and {@code comparison.totalTemplateRef} (all events). Canary first, then
   * the baseline rendering of the same queries.
   */
  private MetricSamples.Counts counts(Canary canary, CanaryMetric metric, MetricTemplateModel model)
      throws SeriesException {
    try {
      if (metric.templateRef() != null) {
        NamedReference totalRef = metric.comparison().totalTemplateRef();
        if (totalRef == null) {
          throw new SeriesException(
              "comparison kind proportion needs comparison.totalTemplateRef, a MetricTemplate"
                  + " counting all events");
        }
        TemplateProvider events = template(canary, metric);
        TemplateProvider total = template(canary, totalMetric(metric));
        String eventQuery = events.template().getSpec().query();
        String totalQuery = total.template().getSpec().query();
        return new MetricSamples.Counts(
            count(events, QueryTemplate.render(eventQuery, model)),
            count(total, QueryTemplate.render(totalQuery, model)),
            count(events, QueryTemplate.render(eventQuery, model.forBaseline())),
            count(total, QueryTemplate.render(totalQuery, model.forBaseline())));
      }
      if (!MetricChecks.isBuiltin(metric)
          || !CanaryMetric.REQUEST_SUCCESS_RATE.equals(metric.name())) {
        throw new SeriesException(
            "comparison kind proportion needs request-success-rate or a templateRef with"
                + " comparison.totalTemplateRef");
      }
      Observer observer = sources.observer(canary);
      RequestCounts requests = observer.requestCounts().orElse(null);
      if (requests == null || !observer.hasBaselineVariant()) {
        throw new SeriesException(
            "the builtin query of provider "
                + sources.providerKey(canary)
                + " has no baseline variant; compare a MetricTemplate using {{ baseline }}"
                + " instead");
      }
      MetricsProvider prometheus = prometheus(canary);
      MetricTemplateModel base = model.forBaseline();
      return new MetricSamples.Counts(
          count(prometheus, "prometheus", observer.renderCount(requests.successes(), model)),
          count(prometheus, "prometheus", observer.renderCount(requests.total(), model)),
          count(prometheus, "prometheus", observer.renderCount(requests.successes(), base)),
          count(prometheus, "prometheus", observer.renderCount(requests.total(), base)));
    } catch (TemplateException e) {
      throw new SeriesException("query render error: " + e.getMessage());
    }
  }

  /** A proportion metric read through its {@code totalTemplateRef} instead of its template. */
  static CanaryMetric totalMetric(CanaryMetric metric) {
    return new CanaryMetric(
        metric.name(),
        metric.interval(),
        null,
        null,
        null,
        metric.comparison().totalTemplateRef(),
        metric.templateVariables(),
        metric.comparison());
  }

  private static long count(TemplateProvider tp, String query) throws SeriesException {
    return count(tp.provider(), describe(tp), query);
  }

  /** {@code provider datadog of metric template cpu.test}, for messages. */
  private static String describe(TemplateProvider tp) {
    return "provider "
        + tp.template().getSpec().provider().type()
        + " of metric template "
        + tp.name()
        + "."
        + tp.namespace();
  }

  /**
   * One count: the query's value rounded to a whole number ({@code increase()} extrapolates); no
   * value (no series: nothing happened) is 0; a negative, infinite or NaN value is an error.
   */
  private static long count(MetricsProvider provider, String what, String query)
      throws SeriesException {
    double value;
    try {
      value = provider.runQuery(query);
    } catch (NoValuesFoundException e) {
      return 0;
    } catch (MetricsProviderException e) {
      throw new SeriesException("count query of " + what + " failed: " + e.getMessage());
    }
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new SeriesException(
          "count query of " + what + " returned " + value + ", not a count: " + query);
    }
    return Math.round(value);
  }

  /** The provider and the two rendered queries of a metric. */
  private record Queries(MetricsProvider provider, String what, String canary, String baseline) {}

  private Queries queries(Canary canary, CanaryMetric metric, MetricTemplateModel model)
      throws SeriesException {
    try {
      if (metric.templateRef() != null) {
        TemplateProvider tp = template(canary, metric);
        String what = describe(tp);
        if (!tp.provider().supportsRangeQueries()) {
          throw new SeriesException(
              what + " gives no series (range queries), which a comparison needs");
        }
        String query = tp.template().getSpec().query();
        return new Queries(
            tp.provider(),
            what,
            QueryTemplate.render(query, model),
            QueryTemplate.render(query, model.forBaseline()));
      }
      MetricsProvider prometheus = prometheus(canary);
      if (MetricChecks.isBuiltin(metric)) {
        Observer observer = sources.observer(canary);
        if (!observer.hasBaselineVariant()) {
          throw new SeriesException(
              "the builtin query of provider "
                  + sources.providerKey(canary)
                  + " has no baseline variant; compare a MetricTemplate using {{ baseline }}"
                  + " instead");
        }
        boolean rate = CanaryMetric.REQUEST_SUCCESS_RATE.equals(metric.name());
        return new Queries(
            prometheus,
            "prometheus",
            rate ? observer.renderSuccessRate(model) : observer.renderDuration(model),
            rate
                ? observer.renderSuccessRate(model.forBaseline())
                : observer.renderDuration(model.forBaseline()));
      }
      if (!MetricChecks.notEmpty(metric.query())) {
        throw new SeriesException("no query or metric template to compare");
      }
      return new Queries(
          prometheus,
          "prometheus",
          QueryTemplate.render(metric.query(), model),
          QueryTemplate.render(metric.query(), model.forBaseline()));
    } catch (TemplateException e) {
      throw new SeriesException("query render error: " + e.getMessage());
    }
  }

  private TemplateProvider template(Canary canary, CanaryMetric metric) throws SeriesException {
    try {
      return sources.template(canary, metric);
    } catch (TemplateProvider.ResolveException e) {
      throw new SeriesException(e.getMessage());
    }
  }

  private MetricsProvider prometheus(Canary canary) throws SeriesException {
    try {
      return sources.prometheus(canary);
    } catch (MetricsProviderException e) {
      throw new SeriesException("error building the Prometheus client: " + e.getMessage());
    }
  }

  private static double[] range(Queries q, String query, RangeWindow window)
      throws SeriesException {
    try {
      return q.provider().runRangeQuery(query, window);
    } catch (MetricsProviderException e) {
      throw new SeriesException("range query of " + q.what() + " failed: " + e.getMessage());
    }
  }

  /** Why a compared metric has no samples. */
  private static final class SeriesException extends Exception {
    SeriesException(String message) {
      super(message);
    }
  }
}
