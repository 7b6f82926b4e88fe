package app.flagger.controller.metrics.observers;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.metrics.providers.PrometheusProvider;
import app.flagger.controller.metrics.template.MetricTemplateModel;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every observer's two queries, rendered for one sample canary, against the spec's text (§3.3). */
class BuiltinObserversTest {
  private static final MetricTemplateModel MODEL =
      new MetricTemplateModel(
          "podinfo", "test", "podinfo", "podinfo-svc", "podinfo-ing", "podinfo-rt", "1m", Map.of());

  record Case(String key, String success, String duration) {
    @Override
    public String toString() {
      return key;
    }
  }

  /** Substitutes the sample values into the spec's query text by plain string replacement. */
  private static String sample(String spec) {
    return spec.replace("{{ namespace }}", "test")
        .replace("{{ target }}", "podinfo")
        .replace("{{ service }}", "podinfo-svc")
        .replace("{{ ingress }}", "podinfo-ing")
        .replace("{{ route }}", "podinfo-rt")
        .replace("{{ interval }}", "1m");
  }

  static Stream<Case> cases() {
    String skipperRoute = "kube(ew)?_test__podinfo_ing_canary__.*__podinfo_svc_canary(_[0-9]+)?";
    return Stream.of(
        new Case(
            "istio",
            "sum(rate(istio_requests_total{reporter=\"destination\",destination_workload_namespace=\"{{ namespace }}\",destination_workload=~\"{{ target }}\",response_code!~\"5.*\"}[{{ interval }}])) / sum(rate(istio_requests_total{reporter=\"destination\",destination_workload_namespace=\"{{ namespace }}\",destination_workload=~\"{{ target }}\"}[{{ interval }}])) * 100",
            "histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{reporter=\"destination\",destination_workload_namespace=\"{{ namespace }}\",destination_workload=~\"{{ target }}\"}[{{ interval }}])) by (le))"),
        new Case(
            "linkerd",
            "sum(rate(response_total{namespace=\"{{ namespace }}\",deployment=~\"{{ target }}\",classification!=\"failure\",direction=\"inbound\"}[{{ interval }}])) / sum(rate(response_total{namespace=\"{{ namespace }}\",deployment=~\"{{ target }}\",direction=\"inbound\"}[{{ interval }}])) * 100",
            "histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{namespace=\"{{ namespace }}\",deployment=~\"{{ target }}\",direction=\"inbound\"}[{{ interval }}])) by (le))"),
        new Case(
            "appmesh",
            "sum(rate(envoy_cluster_upstream_rq{kubernetes_namespace=\"{{ namespace }}\",kubernetes_pod_name=~\"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\",envoy_response_code!~\"5.*\"}[{{ interval }}])) / sum(rate(envoy_cluster_upstream_rq{kubernetes_namespace=\"{{ namespace }}\",kubernetes_pod_name=~\"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\"}[{{ interval }}])) * 100",
            "histogram_quantile(0.99, sum(rate(envoy_cluster_upstream_rq_time_bucket{kubernetes_namespace=\"{{ namespace }}\",kubernetes_pod_name=~\"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\"}[{{ interval }}])) by (le))"),
        new Case(
            "nginx",
            "sum(rate(nginx_ingress_controller_requests{namespace=\"{{ namespace }}\",ingress=\"{{ ingress }}\",canary!=\"\",status!~\"5.*\"}[{{ interval }}])) / sum(rate(nginx_ingress_controller_requests{namespace=\"{{ namespace }}\",ingress=\"{{ ingress }}\",canary!=\"\"}[{{ interval }}])) * 100",
            "sum(rate(nginx_ingress_controller_response_duration_seconds_sum{namespace=\"{{ namespace }}\",ingress=\"{{ ingress }}\",canary!=\"\"}[{{ interval }}])) / sum(rate(nginx_ingress_controller_response_duration_seconds_count{namespace=\"{{ namespace }}\",ingress=\"{{ ingress }}\",canary!=\"\"}[{{ interval }}])) * 1000"),
        new Case(
            "contour",
            "sum(rate(envoy_cluster_upstream_rq{envoy_cluster_name=~\"{{ namespace }}_{{ service }}-canary_[0-9a-zA-Z-]+\",envoy_response_code!~\"5.*\"}[{{ interval }}])) / sum(rate(envoy_cluster_upstream_rq{envoy_cluster_name=~\"{{ namespace }}_{{ service }}-canary_[0-9a-zA-Z-]+\",}[{{ interval }}])) * 100",
            "histogram_quantile(0.99, sum(rate(envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name=~\"{{ namespace }}_{{ service }}-canary_[0-9a-zA-Z-]+\",}[{{ interval }}])) by (le))"),
        new Case(
            "gloo",
            "sum(rate(envoy_cluster_upstream_rq{envoy_cluster_name=~\"{{ namespace }}-{{ target }}-canaryupstream-[0-9a-zA-Z-]+_[0-9a-zA-Z-]+\",envoy_response_code!~\"5.*\"}[{{ interval }}])) / sum(rate(envoy_cluster_upstream_rq{envoy_cluster_name=~\"{{ namespace }}-{{ target }}-canaryupstream-[0-9a-zA-Z-]+_[0-9a-zA-Z-]+\",}[{{ interval }}])) * 100",
            "histogram_quantile(0.99, sum(rate(envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name=~\"{{ namespace }}-{{ target }}-canaryupstream-[0-9a-zA-Z-]+_[0-9a-zA-Z-]+\",}[{{ interval }}])) by (le))"),
        new Case(
            "kuma",
            "sum(rate(envoy_cluster_upstream_rq{service=~\"{{ target }}-canary_{{ namespace }}_svc_[0-9a-zA-Z-]+\",envoy_response_code!~\"5.*\"}[{{ interval }}])) / sum(rate(envoy_cluster_upstream_rq{service=~\"{{ target }}-canary_{{ namespace }}_svc_[0-9a-zA-Z-]+\",}[{{ interval }}])) * 100",
            "histogram_quantile(0.99, sum(rate(envoy_cluster_upstream_rq_time_bucket{service=~\"{{ target }}-canary_{{ namespace }}_svc_[0-9a-zA-Z-]+\",}[{{ interval }}])) by (le))"),
        new Case(
            "skipper",
            ("sum(rate(skipper_response_duration_seconds_bucket{route=~\"{{ $route }}\",code!~\"5..\",le=\"+Inf\"}[{{ interval }}])) / sum(rate(skipper_response_duration_seconds_bucket{route=~\"{{ $route }}\",le=\"+Inf\"}[{{ interval }}])) * 100")
                .replace("{{ $route }}", skipperRoute),
            ("sum(rate(skipper_serve_route_duration_seconds_sum{route=~\"{{ $route }}\"}[{{ interval }}])) / sum(rate(skipper_serve_route_duration_seconds_count{route=~\"{{ $route }}\"}[{{ interval }}])) * 1000")
                .replace("{{ $route }}", skipperRoute)),
        new Case(
            "traefik",
            "sum(rate(traefik_service_request_duration_seconds_bucket{service=~\"{{ namespace }}-{{ target }}-canary-[0-9a-zA-Z-]+@kubernetescrd\",code!~\"5..\",le=\"+Inf\"}[{{ interval }}])) / sum(rate(traefik_service_request_duration_seconds_bucket{service=~\"{{ namespace }}-{{ target }}-canary-[0-9a-zA-Z-]+@kubernetescrd\",le=\"+Inf\"}[{{ interval }}])) * 100",
            "histogram_quantile(0.99, sum(rate(traefik_service_request_duration_seconds_bucket{service=~\"{{ namespace }}-{{ target }}-canary-[0-9a-zA-Z-]+@kubernetescrd\"}[{{ interval }}])) by (le)) * 1000"),
        new Case(
            "kubernetes",
            "sum(rate(http_request_duration_seconds_count{kubernetes_namespace=\"{{ namespace }}\",kubernetes_pod_name=~\"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\",status!~\"5.*\"}[{{ interval }}])) / sum(rate(http_request_duration_seconds_count{kubernetes_namespace=\"{{ namespace }}\",kubernetes_pod_name=~\"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\"}[{{ interval }}])) * 100",
            "histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket{kubernetes_namespace=\"{{ namespace }}\",kubernetes_pod_name=~\"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\"}[{{ interval }}])) by (le))"),
        new Case(
            "apisix",
            "sum(rate(apisix_http_status{route=~\"{{ namespace }}_{{ route }}-{{ target }}-canary_.+\",code!~\"5..\"}[{{ interval }}])) / sum(rate(apisix_http_status{route=~\"{{ namespace }}_{{ route }}-{{ target }}-canary_.+\"}[{{ interval }}])) * 100",
            "histogram_quantile(0.99, sum(rate(apisix_http_latency_bucket{type=~\"request\",route=~\"{{ namespace }}_{{ route }}-{{ target }}-canary_.+\"}[{{ interval }}])) by (le))"),
        new Case(
            "osm",
            "sum(rate(osm_request_total{destination_namespace=\"{{ namespace }}\",destination_kind=\"Deployment\",destination_name=\"{{ target }}\",response_code!~\"5.*\"}[{{ interval }}])) / sum(rate(osm_request_total{destination_namespace=\"{{ namespace }}\",destination_kind=\"Deployment\",destination_name=\"{{ target }}\"}[{{ interval }}])) * 100",
            "histogram_quantile(0.99, sum(rate(osm_request_duration_ms_bucket{destination_namespace=\"{{ namespace }}\",destination_kind=\"Deployment\",destination_name=\"{{ target }}\"}[{{ interval }}])) by (le))"),
        new Case(
            "knative",
            "sum(rate(envoy_cluster_upstream_rq{envoy_cluster_name=~\"{{ namespace }}/{{ route }}\",envoy_response_code!~\"5.*\"}[{{ interval }}])) / sum(rate(envoy_cluster_upstream_rq{envoy_cluster_name=~\"{{ namespace }}/{{ route }}\",}[{{ interval }}])) * 100",
            "histogram_quantile(0.99, sum(rate(envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name=~\"{{ namespace }}/{{ route }}\",}[{{ interval }}])) by (le))"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void rendersBothQueriesForTheSampleCanary(Case c) throws Exception {
    Observer observer = ObserverFactory.observer(c.key());
    assertThat(PrometheusProvider.trimQuery(observer.renderSuccessRate(MODEL)))
        .isEqualTo(sample(c.success()));
    assertThat(PrometheusProvider.trimQuery(observer.renderDuration(MODEL)))
        .isEqualTo(sample(c.duration()));
  }

  static Stream<String> defaultKeys() {
    return Stream.of("", "smi:v1alpha3", "crossover", "istio:service", "kubernetes:service");
  }

  @ParameterizedTest
  @MethodSource("defaultKeys")
  void everythingElseUsesTheIstioQueries(String key) {
    assertThat(ObserverFactory.observer(key)).isSameAs(BuiltinObservers.ISTIO);
  }

  /**
   * The request counts of {@code kind: proportion} are the success-rate query's own two sums:
   * {@code increase} where the rate has {@code rate}, so the counts give the same success rate.
   */
  @org.junit.jupiter.api.Test
  void everyObserverWithABaselineVariantCountsTheRequestsOfItsSuccessRate() throws Exception {
    for (String key :
        new String[] {
          "istio", "linkerd", "appmesh", "osm", "kubernetes", "gatewayapi", "contour", "nginx"
        }) {
      Observer observer = ObserverFactory.observer(key);
      if (!observer.hasBaselineVariant()) {
        assertThat(observer.requestCounts()).as(key).isEmpty();
        continue;
      }
      RequestCounts counts = observer.requestCounts().orElseThrow();
      String asRate =
          observer.renderCount(counts.successes(), MODEL).replace("increase(", "rate(")
              + " / "
              + observer.renderCount(counts.total(), MODEL).replace("increase(", "rate(")
              + " * 100";
      assertThat(asRate)
          .as(key)
          .isEqualTo(PrometheusProvider.trimQuery(observer.renderSuccessRate(MODEL)));
    }
  }
}
