package app.flagger.controller.metrics.template;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.CanarySpec;
import java.util.Map;

/**
 * What a query template can read (Flagger's {@code MetricTemplateModel}): the values behind {@code
 * {{ name }}}, {@code {{ namespace }}}, {@code {{ target }}}, {@code {{ service }}}, {@code {{
 * ingress }}}, {@code {{ route }}}, {@code {{ interval }}} and {@code {{ variables.x }}}.
 */
public record MetricTemplateModel(
    String name,
    String namespace,
    String target,
    String service,
    String ingress,
    String route,
    String interval,
    Map<String, String> variables) {

  public MetricTemplateModel {
    variables = variables == null ? Map.of() : Map.copyOf(variables);
  }

  /**
   * The model of one metric of a Canary. {@code route} overrides the route name (Knative's latest
   * created revision); null means {@code routeRef.name} or the target's name.
   */
  public static MetricTemplateModel of(Canary canary, CanaryMetric metric, String route) {
    CanarySpec spec = canary.getSpec();
    String target = spec.targetRef() == null ? "" : nonNull(spec.targetRef().name());
    String service =
        spec.service() != null && notEmpty(spec.service().name()) ? spec.service().name() : target;
    String ingress =
        spec.ingressRef() != null && notEmpty(spec.ingressRef().name())
            ? spec.ingressRef().name()
            : target;
    String routeName = route;
    if (routeName == null) {
      routeName =
          spec.routeRef() != null && notEmpty(spec.routeRef().name())
              ? spec.routeRef().name()
              : target;
    }
    return new MetricTemplateModel(
        canary.getMetadata().getName(),
        canary.getMetadata().getNamespace(),
        target,
        service,
        ingress,
        routeName,
        metric.intervalOrDefault(),
        metric.variablesOrEmpty());
  }

  /** A copy with every non-word character of the names replaced by {@code _} (Skipper). */
  public MetricTemplateModel withWordCharactersOnly() {
    return new MetricTemplateModel(
        word(name),
        word(namespace),
        word(target),
        word(service),
        word(ingress),
        route,
        interval,
        variables);
  }

  private static String word(String s) {
    return s == null ? null : s.replaceAll("\\W", "_");
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
