package app.flagger.controller.metrics.observers;

/**
 * The PromQL behind {@code request-success-rate} and {@code request-duration} for every observer,
 * as Go templates over the functions of {@link
 * app.flagger.controller.metrics.template.QueryTemplate}. Whitespace is insignificant: the
 * Prometheus provider collapses it before sending.
 */
public final class BuiltinObservers {
  private BuiltinObservers() {}

  /** {@code sum(increase(metric{selector}[interval]))}: the requests counted over the interval. */
  private static String increase(String metric, String selector) {
    return "sum(increase(" + metric + "{" + selector + "}[{{ interval }}]))";
  }

  private static RequestCounts counts(String metric, String selector, String success) {
    return new RequestCounts(increase(metric, selector + success), increase(metric, selector));
  }

  /**
   * The request counts of the observers whose queries have a baseline variant ({@link
   * Observer#hasBaselineVariant()}), for {@code request-success-rate} with {@code kind:
   * proportion}; null for the others. Same metrics and selectors as the success-rate query.
   */
  static RequestCounts requestCounts(String observer) {
    return switch (observer) {
      case "istio" -> counts("istio_requests_total", ISTIO_SEL, ",response_code!~\"5.*\"");
      case "linkerd" ->
          new RequestCounts(
              increase(
                  "response_total",
                  LINKERD_SEL + ",classification!=\"failure\",direction=\"inbound\""),
              increase("response_total", LINKERD_SEL + ",direction=\"inbound\""));
      case "appmesh" ->
          counts("envoy_cluster_upstream_rq", POD_SEL, ",envoy_response_code!~\"5.*\"");
      case "http" -> counts("http_request_duration_seconds_count", POD_SEL, ",status!~\"5.*\"");
      case "osm" -> counts("osm_request_total", OSM_SEL, ",response_code!~\"5.*\"");
      default -> null;
    };
  }

  private static String ratio(String metric, String selector, String success, String range) {
    return "sum(rate("
        + metric
        + "{"
        + selector
        + success
        + "}["
        + range
        + "])) / sum(rate("
        + metric
        + "{"
        + selector
        + "}["
        + range
        + "])) * 100";
  }

  private static String p99(String metric, String selector) {
    return "histogram_quantile(0.99, sum(rate("
        + metric
        + "{"
        + selector
        + "}[{{ interval }}])) by (le))";
  }

  private static String mean(String metric, String selector) {
    return "sum(rate("
        + metric
        + "_sum{"
        + selector
        + "}[{{ interval }}])) / sum(rate("
        + metric
        + "_count{"
        + selector
        + "}[{{ interval }}])) * 1000";
  }

  private static final String I = "{{ interval }}";

  private static Observer of(String name, String success, String duration) {
    return new Observer(name, success, duration, false, false);
  }

  private static final String ISTIO_SEL =
      "reporter=\"destination\",destination_workload_namespace=\"{{ namespace }}\","
          + "destination_workload=~\"{{ target }}\"";

  public static final Observer ISTIO =
      of(
          "istio",
          ratio("istio_requests_total", ISTIO_SEL, ",response_code!~\"5.*\"", I),
          p99("istio_request_duration_milliseconds_bucket", ISTIO_SEL));

  private static final String LINKERD_SEL =
      "namespace=\"{{ namespace }}\",deployment=~\"{{ target }}\"";

  public static final Observer LINKERD =
      of(
          "linkerd",
          "sum(rate(response_total{"
              + LINKERD_SEL
              + ",classification!=\"failure\",direction=\"inbound\"}[{{ interval }}])) /"
              + " sum(rate(response_total{"
              + LINKERD_SEL
              + ",direction=\"inbound\"}[{{ interval }}])) * 100",
          p99("response_latency_ms_bucket", LINKERD_SEL + ",direction=\"inbound\""));

  private static final String POD_SEL =
      "kubernetes_namespace=\"{{ namespace }}\","
          + "kubernetes_pod_name=~\"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\"";

  public static final Observer APPMESH =
      of(
          "appmesh",
          ratio("envoy_cluster_upstream_rq", POD_SEL, ",envoy_response_code!~\"5.*\"", I),
          p99("envoy_cluster_upstream_rq_time_bucket", POD_SEL));

  private static final String NGINX_SEL =
      "namespace=\"{{ namespace }}\",ingress=\"{{ ingress }}\",canary!=\"\"";

  public static final Observer NGINX =
      of(
          "nginx",
          ratio("nginx_ingress_controller_requests", NGINX_SEL, ",status!~\"5.*\"", I),
          mean("nginx_ingress_controller_response_duration_seconds", NGINX_SEL));

  private static Observer envoy(String name, String selector) {
    return of(
        name,
        "sum(rate(envoy_cluster_upstream_rq{"
            + selector
            + ",envoy_response_code!~\"5.*\"}[{{ interval }}])) /"
            + " sum(rate(envoy_cluster_upstream_rq{"
            + selector
            + ",}[{{ interval }}])) * 100",
        p99("envoy_cluster_upstream_rq_time_bucket", selector + ","));
  }

  public static final Observer CONTOUR =
      envoy(
          "contour", "envoy_cluster_name=~\"{{ namespace }}_{{ service }}-canary_[0-9a-zA-Z-]+\"");

  public static final Observer GLOO =
      envoy(
          "gloo",
          "envoy_cluster_name=~\"{{ namespace }}-{{ target }}-canaryupstream-[0-9a-zA-Z-]+"
              + "_[0-9a-zA-Z-]+\"");

  public static final Observer KUMA =
      envoy("kuma", "service=~\"{{ target }}-canary_{{ namespace }}_svc_[0-9a-zA-Z-]+\"");

  public static final Observer KNATIVE =
      envoy("knative", "envoy_cluster_name=~\"{{ namespace }}/{{ route }}\"");

  private static final String SKIPPER_ROUTE =
      "{{- $route := printf \"kube(ew)?_%s__%s_canary__.*__%s_canary(_[0-9]+)?\" namespace"
          + " ingress service -}}";

  public static final Observer SKIPPER =
      new Observer(
          "skipper",
          SKIPPER_ROUTE
              + "sum(rate(skipper_response_duration_seconds_bucket{route=~\"{{ $route }}\","
              + "code!~\"5..\",le=\"+Inf\"}[{{ interval }}])) /"
              + " sum(rate(skipper_response_duration_seconds_bucket{route=~\"{{ $route }}\","
              + "le=\"+Inf\"}[{{ interval }}])) * 100",
          SKIPPER_ROUTE + mean("skipper_serve_route_duration_seconds", "route=~\"{{ $route }}\""),
          false,
          true);

  private static final String TRAEFIK_SEL =
      "service=~\"{{ namespace }}-{{ target }}-canary-[0-9a-zA-Z-]+@kubernetescrd\"";

  public static final Observer TRAEFIK =
      of(
          "traefik",
          "sum(rate(traefik_service_request_duration_seconds_bucket{"
              + TRAEFIK_SEL
              + ",code!~\"5..\",le=\"+Inf\"}[{{ interval }}])) /"
              + " sum(rate(traefik_service_request_duration_seconds_bucket{"
              + TRAEFIK_SEL
              + ",le=\"+Inf\"}[{{ interval }}])) * 100",
          p99("traefik_service_request_duration_seconds_bucket", TRAEFIK_SEL) + " * 1000");

  public static final Observer HTTP =
      new Observer(
          "http",
          ratio("http_request_duration_seconds_count", POD_SEL, ",status!~\"5.*\"", I),
          p99("http_request_duration_seconds_bucket", POD_SEL),
          true,
          false);

  private static final String APISIX_ROUTE =
      "route=~\"{{ namespace }}_{{ route }}-{{ target }}-canary_.+\"";

  public static final Observer APISIX =
      of(
          "apisix",
          ratio("apisix_http_status", APISIX_ROUTE, ",code!~\"5..\"", I),
          p99("apisix_http_latency_bucket", "type=~\"request\"," + APISIX_ROUTE));

  private static final String OSM_SEL =
      "destination_namespace=\"{{ namespace }}\",destination_kind=\"Deployment\","
          + "destination_name=\"{{ target }}\"";

  public static final Observer OSM =
      of(
          "osm",
          ratio("osm_request_total", OSM_SEL, ",response_code!~\"5.*\"", I),
          p99("osm_request_duration_ms_bucket", OSM_SEL));
}
