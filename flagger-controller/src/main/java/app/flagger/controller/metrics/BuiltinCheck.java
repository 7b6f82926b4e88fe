package app.flagger.controller.metrics;

import app.flagger.controller.metrics.MetricAnalysis.ObservedValue;
import app.flagger.controller.metrics.observers.Observer;
import app.flagger.controller.metrics.providers.MetricsProvider;
import app.flagger.controller.metrics.providers.MetricsProviderException;
import app.flagger.controller.metrics.providers.NoValuesFoundException;
import app.flagger.controller.metrics.template.MetricTemplateModel;
import app.flagger.controller.metrics.template.QueryTemplate;
import app.flagger.controller.metrics.template.TemplateException;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryMetric;
import java.util.List;
import java.util.Optional;

/**
 * One builtin or inline metric against the controller's (or the Canary's) Prometheus, with
 * Flagger's messages. Values that pass are added to {@code values}.
 */
final class BuiltinCheck {
  private final Canary canary;
  private final String providerKey;
  private final Observer observer;
  private final MetricsProvider prometheus;
  private final List<ObservedValue> values;

  BuiltinCheck(
      Canary canary,
      String providerKey,
      Observer observer,
      MetricsProvider prometheus,
      List<ObservedValue> values) {
    this.canary = canary;
    this.providerKey = providerKey;
    this.observer = observer;
    this.prometheus = prometheus;
    this.values = values;
  }

  Optional<String> run(CanaryMetric metric, String route) {
    MetricTemplateModel model = MetricTemplateModel.of(canary, metric, route);
    Optional<String> failure = Optional.empty();
    if (CanaryMetric.REQUEST_SUCCESS_RATE.equals(metric.name())) {
      failure = successRate(metric, model);
    } else if (CanaryMetric.REQUEST_DURATION.equals(metric.name())) {
      failure = duration(metric, model);
    }
    if (failure.isEmpty() && MetricChecks.notEmpty(metric.query())) {
      failure = inline(metric, model);
    }
    return failure;
  }

  private Optional<String> successRate(CanaryMetric metric, MetricTemplateModel model) {
    double value;
    try {
      value = observer.requestSuccessRate(prometheus, model);
    } catch (NoValuesFoundException e) {
      return Optional.of(noValues(metric) + ": " + e.getMessage());
    } catch (MetricsProviderException | TemplateException e) {
      return Optional.of("Prometheus query failed: " + e.getMessage());
    }
    Optional<String> failure = ThresholdMessages.successRate(canary.key(), metric, value);
    if (failure.isEmpty()) {
      values.add(new ObservedValue(metric.name(), value));
    }
    return failure;
  }

  private Optional<String> duration(CanaryMetric metric, MetricTemplateModel model) {
    long nanos;
    try {
      nanos = observer.requestDurationNanos(prometheus, model);
    } catch (NoValuesFoundException e) {
      return Optional.of(noValues(metric));
    } catch (MetricsProviderException | TemplateException e) {
      return Optional.of("Prometheus query failed: " + e.getMessage());
    }
    Optional<String> failure = ThresholdMessages.duration(canary.key(), metric, nanos);
    if (failure.isEmpty()) {
      values.add(new ObservedValue(metric.name(), nanos / 1e9));
    }
    return failure;
  }

  private Optional<String> inline(CanaryMetric metric, MetricTemplateModel model) {
    double value;
    try {
      value = prometheus.runQuery(QueryTemplate.render(metric.query(), model));
    } catch (NoValuesFoundException e) {
      return Optional.of("Halt advancement no values found for metric: " + metric.name());
    } catch (MetricsProviderException | TemplateException e) {
      return Optional.of("Prometheus query failed for " + metric.name() + ": " + e.getMessage());
    }
    Optional<String> failure = ThresholdMessages.query(canary.key(), metric, value);
    if (failure.isEmpty()) {
      values.add(new ObservedValue(metric.name(), value));
    }
    return failure;
  }

  private String noValues(CanaryMetric metric) {
    return "Halt advancement no values found for "
        + providerKey
        + " metric "
        + metric.name()
        + " probably "
        + canary.getSpec().targetRef().name()
        + "."
        + canary.getMetadata().getNamespace()
        + " is not receiving traffic";
  }
}
