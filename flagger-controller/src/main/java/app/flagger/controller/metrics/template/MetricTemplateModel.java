package app.flagger.controller.metrics.template;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.CanarySpec;
import java.util.Map;

/**
 * What a query template can read (Flagger's {@code MetricTemplateModel}): the values behind {@code
 * {{ name }}}, {@code {{ namespace }}}, {@code {{ target }}}, {@code {{ service }}}, {@code {{
 * ingress }}}, {@code {{ route }}}, {@code {{ interval }}}, {@code {{ variables.x }}} and {@code {{
 * baseline }}}: the workload the judge compares the canary with ({@code <target>-baseline} with
 * {@code analysis.baseline: true}, else {@code <target>-primary}).
 */
public record MetricTemplateModel(
    String name,
    String namespace,
    String target,
    String service,
    String ingress,
    String route,
    String interval,
    Map<String, String> variables,
    String baseline) {

  public MetricTemplateModel {
    variables = variables == null ? Map.of() : Map.copyOf(variables);
  }

  /** A model whose baseline is the primary, {@code <target>-primary}. */
  public MetricTemplateModel(
      String name,
      String namespace,
      String target,
      String service,
      String ingress,
      String route,
      String interval,
      Map<String, String> variables) {
    this(
        name,
        namespace,
        target,
        service,
        ingress,
        route,
        interval,
        variables,
        target + PRIMARY_SUFFIX);
  }

  private static final String PRIMARY_SUFFIX = "-primary";
  private static final String BASELINE_SUFFIX = "-baseline";

  /**
   * The workload the judge compares {@code target} with: {@code <target>-baseline} when the
   * analysis runs a baseline, else the primary {@code <target>-primary}.
   */
  public static String baselineOf(Canary canary) {
    CanarySpec spec = canary.getSpec();
    String target = spec.targetRef() == null ? "" : nonNull(spec.targetRef().name());
    CanaryAnalysis analysis = spec.analysisOrLegacy();
    boolean baseline = analysis != null && analysis.usesBaseline();
    return target + (baseline ? BASELINE_SUFFIX : PRIMARY_SUFFIX);
  }

  /**
   * The same model read for the baseline: {@code {{ target }}} is the baseline workload (the judge
   * renders a compared metric's query with this to read the baseline's series).
   */
  public MetricTemplateModel forBaseline() {
    return new MetricTemplateModel(
        name, namespace, baseline, service, ingress, route, interval, variables, baseline);
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
        metric.variablesOrEmpty(),
        baselineOf(canary));
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
        variables,
        word(baseline));
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
