package app.flagger.controller.metrics;

import app.flagger.controller.metrics.MetricsLookup.LookupException;
import app.flagger.controller.metrics.providers.MetricsProvider;
import app.flagger.controller.metrics.providers.MetricsProviderException;
import app.flagger.controller.metrics.providers.ProviderFactory;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.metric.MetricTemplate;
import app.flagger.model.metric.MetricTemplateProvider;
import java.time.Duration;
import java.util.Map;

/** A metric's MetricTemplate with its provider built from the template and its Secret. */
record TemplateProvider(
    String name, String namespace, MetricTemplate template, MetricsProvider provider) {

  /** Looks up the template and its secret and builds the provider, or fails with Flagger's text. */
  static TemplateProvider resolve(
      Canary canary,
      CanaryMetric metric,
      MetricsLookup lookup,
      ProviderFactory providers,
      Duration bound)
      throws ResolveException {
    String name = metric.templateRef().name();
    String namespace = metric.templateRef().namespaceOr(canary.getMetadata().getNamespace());
    String id = name + "." + namespace;
    MetricTemplate template;
    try {
      template = lookup.metricTemplate(namespace, name);
    } catch (LookupException e) {
      throw new ResolveException("Metric template " + id + " error: " + e.getMessage());
    }
    MetricTemplateProvider spec =
        template.getSpec() == null || template.getSpec().provider() == null
            ? new MetricTemplateProvider("prometheus", null, null, null, null, null)
            : template.getSpec().provider();
    Map<String, String> credentials = Map.of();
    if (spec.secretRef() != null) {
      try {
        credentials = lookup.secretData(namespace, spec.secretRef().name());
      } catch (LookupException e) {
        throw new ResolveException(
            "Metric template "
                + id
                + " secret "
                + spec.secretRef().name()
                + " error: "
                + e.getMessage());
      }
    }
    try {
      return new TemplateProvider(
          name,
          namespace,
          template,
          providers.provider(spec, credentials, metric.intervalOrDefault(), bound));
    } catch (MetricsProviderException e) {
      throw new ResolveException(
          "Metric template " + id + " provider " + spec.type() + " error: " + e.getMessage());
    }
  }

  /** The template, its secret or its provider could not be had. */
  static final class ResolveException extends Exception {
    ResolveException(String message) {
      super(message);
    }

    /** The provider-availability form: {@code metric template ...}. */
    String lowerCaseMessage() {
      return "m" + getMessage().substring(1);
    }
  }
}
