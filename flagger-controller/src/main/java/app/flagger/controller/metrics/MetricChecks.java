package app.flagger.controller.metrics;

import app.flagger.controller.metrics.MetricsLookup.LookupException;
import app.flagger.controller.metrics.observers.Observer;
import app.flagger.controller.metrics.observers.ObserverFactory;
import app.flagger.controller.metrics.providers.MetricsProvider;
import app.flagger.controller.metrics.providers.MetricsProviderException;
import app.flagger.controller.metrics.providers.NoValuesFoundException;
import app.flagger.controller.metrics.providers.ProviderFactory;
import app.flagger.controller.metrics.template.MetricTemplateModel;
import app.flagger.controller.metrics.template.QueryTemplate;
import app.flagger.controller.metrics.template.TemplateException;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.ComparisonKind;
import app.flagger.model.canary.ServiceTargets;
import app.flagger.model.metric.MetricTemplate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The metric checks of a tick (Flagger's {@code runBuiltinMetricChecks} then {@code
 * runMetricChecks}, and {@code checkMetricProviderAvailability}). Builtin and inline checks run
 * first, then template checks, each in spec order, stopping at the first failure; the failure text
 * is Flagger's Warning event word for word. Providers are built per check with a request timeout of
 * at most 5 s and never above the analysis interval, so a slow or dead backend fails the check
 * instead of stalling the tick.
 */
public final class MetricChecks implements MetricAnalysis {
  private static final Logger LOG = Logger.getLogger(MetricChecks.class.getName());

  private final String meshProvider;
  private final String metricsServer;
  private final ProviderFactory providers;
  private final MetricsLookup lookup;

  /**
   * @param meshProvider the controller's {@code mesh-provider} setting (e.g. {@code istio})
   * @param metricsServer the controller's Prometheus URL for builtin and inline metrics
   * @param providers builds the provider of each check
   * @param lookup reads MetricTemplates, Secrets and Knative Services
   */
  public MetricChecks(
      String meshProvider, String metricsServer, ProviderFactory providers, MetricsLookup lookup) {
    this.meshProvider = meshProvider == null ? "" : meshProvider;
    this.metricsServer = metricsServer;
    this.providers = providers;
    this.lookup = lookup;
  }

  @Override
  public Optional<String> checkProviders(Canary canary) {
    List<CanaryMetric> metrics = metrics(canary);
    Duration bound = bound(canary);
    for (CanaryMetric metric : metrics) {
      if (isBuiltin(metric)) {
        try {
          prometheus(canary, bound).isOnline();
        } catch (MetricsProviderException e) {
          return Optional.of("prometheus not avaiable: " + e.getMessage());
        }
        continue;
      }
      if (metric.templateRef() != null) {
        TemplateProvider tp;
        try {
          tp = TemplateProvider.resolve(canary, metric, lookup, providers, bound);
        } catch (TemplateProvider.ResolveException e) {
          return Optional.of(e.lowerCaseMessage());
        }
        try {
          tp.provider().isOnline();
        } catch (MetricsProviderException e) {
          MetricTemplate t = tp.template();
          return Optional.of(
              t.getSpec().provider().type()
                  + " in metric template "
                  + t.getMetadata().getName()
                  + "."
                  + t.getMetadata().getNamespace()
                  + " not avaiable: "
                  + e.getMessage());
        }
        if (metric.compared()
            && metric.comparison().kindOrDefault() == ComparisonKind.PROPORTION
            && metric.comparison().totalTemplateRef() != null) {
          Optional<String> total = checkTotalTemplate(canary, metric, bound);
          if (total.isPresent()) {
            return total;
          }
        } else if (metric.compared() && !tp.provider().supportsRangeQueries()) {
          MetricTemplate t = tp.template();
          return Optional.of(
              "metric "
                  + metric.name()
                  + " sets comparison but "
                  + t.getSpec().provider().type()
                  + " in metric template "
                  + t.getMetadata().getName()
                  + "."
                  + t.getMetadata().getNamespace()
                  + " gives no series (range queries)");
        }
      }
    }
    return Optional.empty();
  }

  /** The provider of a proportion's {@code totalTemplateRef}: resolved and online. */
  private Optional<String> checkTotalTemplate(Canary canary, CanaryMetric metric, Duration bound) {
    CanaryMetric total = ComparisonSeries.totalMetric(metric);
    TemplateProvider tp;
    try {
      tp = TemplateProvider.resolve(canary, total, lookup, providers, bound);
    } catch (TemplateProvider.ResolveException e) {
      return Optional.of("metric " + metric.name() + " totalTemplateRef: " + e.lowerCaseMessage());
    }
    try {
      tp.provider().isOnline();
    } catch (MetricsProviderException e) {
      return Optional.of(
          tp.template().getSpec().provider().type()
              + " in metric template "
              + tp.name()
              + "."
              + tp.namespace()
              + " not avaiable: "
              + e.getMessage());
    }
    return Optional.empty();
  }

  @Override
  public Result run(Canary canary) {
    List<ObservedValue> values = new ArrayList<>();
    Optional<String> failure = runBuiltin(canary, values);
    if (failure.isEmpty()) {
      failure = runTemplates(canary, values);
    }
    failure.ifPresent(f -> LOG.fine(() -> canary.key() + ": " + f));
    return new Result(values, failure);
  }

  @Override
  public Comparisons compare(Canary canary, Instant end) {
    List<CanaryMetric> metrics = metrics(canary);
    if (metrics.stream().noneMatch(CanaryMetric::compared)) {
      return Comparisons.NONE;
    }
    Duration bound = bound(canary);
    ComparisonSeries.Sources sources =
        new ComparisonSeries.Sources() {
          @Override
          public MetricsProvider prometheus(Canary c) throws MetricsProviderException {
            return MetricChecks.this.prometheus(c, bound);
          }

          @Override
          public TemplateProvider template(Canary c, CanaryMetric metric)
              throws TemplateProvider.ResolveException {
            return TemplateProvider.resolve(c, metric, lookup, providers, bound);
          }

          @Override
          public String providerKey(Canary c) {
            return ObserverFactory.metricsProviderKey(meshProvider, c);
          }

          @Override
          public Observer observer(Canary c) {
            return ObserverFactory.observer(providerKey(c));
          }

          @Override
          public String route(Canary c) throws LookupException {
            return knativeRoute(c);
          }
        };
    Comparisons out = new ComparisonSeries(sources).read(canary, metrics, end);
    out.failure().ifPresent(f -> LOG.fine(() -> canary.key() + ": " + f));
    return out;
  }

  private Optional<String> runBuiltin(Canary canary, List<ObservedValue> values) {
    List<CanaryMetric> metrics = metrics(canary);
    if (metrics.stream().noneMatch(m -> isBuiltin(m) || notEmpty(m.query()))) {
      return Optional.empty();
    }
    Duration bound = bound(canary);
    MetricsProvider prometheus;
    try {
      prometheus = prometheus(canary, bound);
    } catch (MetricsProviderException e) {
      return Optional.of(
          "Error building Prometheus client for " + server(canary) + " " + e.getMessage());
    }
    String key = ObserverFactory.metricsProviderKey(meshProvider, canary);
    Observer observer = ObserverFactory.observer(key);
    BuiltinCheck check = new BuiltinCheck(canary, key, observer, prometheus, values);
    for (CanaryMetric metric : metrics) {
      Optional<String> failure;
      try {
        failure = check.run(metric, knativeRoute(canary));
      } catch (LookupException e) {
        return Optional.of(
            "Error fetching Knative service "
                + canary.getMetadata().getNamespace()
                + "/"
                + canary.getSpec().targetRef().name()
                + " "
                + e.getMessage());
      }
      if (failure.isPresent()) {
        return failure;
      }
    }
    return Optional.empty();
  }

  private Optional<String> runTemplates(Canary canary, List<ObservedValue> values) {
    Duration bound = bound(canary);
    for (CanaryMetric metric : metrics(canary)) {
      if (metric.templateRef() == null) {
        if (!isBuiltin(metric) && !notEmpty(metric.query())) {
          return Optional.of(
              "Metric query failed for no usable metrics template and query were configured");
        }
        continue;
      }
      TemplateProvider tp;
      try {
        tp = TemplateProvider.resolve(canary, metric, lookup, providers, bound);
      } catch (TemplateProvider.ResolveException e) {
        return Optional.of(e.getMessage());
      }
      Optional<String> failure = runTemplate(canary, metric, tp, values);
      if (failure.isPresent()) {
        return failure;
      }
    }
    return Optional.empty();
  }

  private Optional<String> runTemplate(
      Canary canary, CanaryMetric metric, TemplateProvider tp, List<ObservedValue> values) {
    String query;
    try {
      String route = knativeRoute(canary);
      query =
          QueryTemplate.render(
              tp.template().getSpec().query(), MetricTemplateModel.of(canary, metric, route));
    } catch (TemplateException | LookupException e) {
      return Optional.of(
          "Metric template "
              + tp.name()
              + "."
              + tp.namespace()
              + " query render error: "
              + e.getMessage());
    }
    double value;
    try {
      value = tp.provider().runQuery(query);
    } catch (NoValuesFoundException e) {
      return Optional.of(
          "Halt advancement no values found for custom metric: "
              + metric.name()
              + ": "
              + e.getMessage());
    } catch (MetricsProviderException e) {
      return Optional.of("Metric query failed for " + metric.name() + ": " + e.getMessage());
    }
    values.add(new ObservedValue(metric.name(), value));
    return ThresholdMessages.query(canary.key(), metric, value);
  }

  /** The latest created revision for Knative targets, else null (the route-name default). */
  private String knativeRoute(Canary canary) throws LookupException {
    var ref = canary.getSpec().targetRef();
    if (ServiceTargets.isKnative(ref)) {
      return lookup.knativeLatestRevision(canary.getMetadata().getNamespace(), ref.name());
    }
    return null;
  }

  private MetricsProvider prometheus(Canary canary, Duration bound)
      throws MetricsProviderException {
    return providers.prometheus(server(canary), bound);
  }

  private String server(Canary canary) {
    String override = canary.getSpec().metricsServer();
    return notEmpty(override) ? override : (metricsServer == null ? "" : metricsServer);
  }

  private static Duration bound(Canary canary) {
    CanaryAnalysis analysis = canary.getSpec().analysisOrLegacy();
    return analysis == null ? null : analysis.intervalOrDefault();
  }

  private static List<CanaryMetric> metrics(Canary canary) {
    CanaryAnalysis analysis = canary.getSpec().analysisOrLegacy();
    return analysis == null ? List.of() : analysis.metricsOrEmpty();
  }

  static boolean isBuiltin(CanaryMetric m) {
    return CanaryMetric.REQUEST_SUCCESS_RATE.equals(m.name())
        || CanaryMetric.REQUEST_DURATION.equals(m.name());
  }

  static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }
}
