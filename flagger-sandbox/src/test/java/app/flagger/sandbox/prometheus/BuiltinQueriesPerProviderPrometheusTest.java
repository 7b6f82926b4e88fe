package app.flagger.sandbox.prometheus;

import static app.flagger.sandbox.prometheus.SyntheticExporter.counter;
import static app.flagger.sandbox.prometheus.SyntheticExporter.histogram;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.flagger.controller.ControllerConfig;
import app.flagger.controller.StandardComponents;
import app.flagger.controller.metrics.MetricAnalysis;
import app.flagger.controller.metrics.MetricAnalysis.ObservedValue;
import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.provider.MeshProvider;
import app.flagger.sandbox.SandboxApiServer;
import app.flagger.sandbox.prometheus.SyntheticExporter.Line;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The builtin {@code request-success-rate} and {@code request-duration} checks of a Canary on each
 * provider with an observer, run through the controller's own metric analysis ({@link
 * StandardComponents#metricAnalysis}: the provider key and observer a tick picks from the
 * controller's mesh provider and the Canary's {@code spec.provider}) against the real Prometheus
 * scraping synthetic telemetry in every provider's format at once. Each format carries its own
 * success rate and latency bucket, and decoy series (the primary, other directions or reporters)
 * with other values, so a value read proves both the observer picked and its label matchers.
 *
 * <p>A provider whose router is not written yet (gloo, traefik, skipper, apisix, knative) still
 * gets its observer through {@code spec.provider} under an Istio controller, as Flagger picks it
 * (the metric analysis does not look at the implemented flag; the Canary validator does, earlier).
 * As the controller's {@code mesh-provider} such a provider is refused by {@link ControllerConfig},
 * so those cases are skipped until {@link MeshProvider} marks the provider implemented.
 */
class BuiltinQueriesPerProviderPrometheusTest {
  private static final String CANARY_POD = "podinfo-7d9c8f6b5-x2x4z";
  private static final String PRIMARY_POD = "podinfo-primary-6b8d7c5f4-abcde";
  private static final double DECOY_MS = 5000;

  /** The success split and latency of the canary in one telemetry format. */
  enum Format {
    HTTP(19, 1, 200),
    ISTIO(9, 1, 700),
    LINKERD(17, 3, 400),
    OSM(4, 1, 80),
    KUMA(3, 1, 30),
    APPMESH(7, 3, 1500),
    NGINX(14, 1, 120.5, true),
    CONTOUR(11, 1, 300),
    GLOO(5, 1, 90),
    TRAEFIK(23, 2, 180),
    SKIPPER(13, 2, 60.5, true),
    APISIX(9, 2, 40),
    KNATIVE(6, 1, 2000);

    final int ok;
    final int failed;
    final double latencyMs;
    // the duration check reads the mean (sum / count) rather than the 99th percentile
    final boolean mean;

    Format(int ok, int failed, double latencyMs) {
      this(ok, failed, latencyMs, false);
    }

    Format(int ok, int failed, double latencyMs, boolean mean) {
      this.ok = ok;
      this.failed = failed;
      this.latencyMs = latencyMs;
      this.mean = mean;
    }

    double successRate() {
      return 100.0 * ok / (ok + failed);
    }

    /**
     * The duration check's value in seconds: the p99 (or the mean, where every observation is
     * {@code latencyMs}); every observer but HTTP truncates to whole ms.
     */
    double durationSeconds() {
      double ms = mean ? latencyMs : SyntheticExporter.p99Ms(latencyMs);
      return (this == HTTP ? ms : Math.floor(ms)) / 1000;
    }
  }

  /**
   * A controller with {@code meshProvider} checking a Canary with {@code specProvider} (null for
   * none) and the reference fields {@code refs} (one {@code spec} line each) reads {@code format}.
   */
  record Case(
      String name, String meshProvider, String specProvider, Format format, List<String> refs) {
    Case(String name, String meshProvider, String specProvider, Format format) {
      this(name, meshProvider, specProvider, format, List.of(DEPLOYMENT));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    List<Case> cases =
        new ArrayList<>(
            List.of(
                new Case(
                    "gatewayapi:v1 reads the app's HTTP histogram",
                    "istio",
                    "gatewayapi:v1",
                    Format.HTTP),
                new Case(
                    "kubernetes reads the app's HTTP histogram", "kubernetes", null, Format.HTTP),
                new Case("linkerd", "linkerd", null, Format.LINKERD),
                new Case("linkerd as spec.provider", "istio", "linkerd", Format.LINKERD),
                new Case("osm", "istio", "osm", Format.OSM),
                new Case(
                    "smi:v1alpha3 under a linkerd controller",
                    "linkerd",
                    "smi:v1alpha3",
                    Format.LINKERD),
                new Case(
                    "smi:v1alpha3:linkerd as mesh-provider",
                    "smi:v1alpha3:linkerd",
                    null,
                    Format.ISTIO),
                new Case(
                    "smi:v1alpha3 under an istio controller",
                    "istio",
                    "smi:v1alpha3",
                    Format.ISTIO),
                new Case("kuma", "kuma", null, Format.KUMA),
                new Case("appmesh:v1beta2", "istio", "appmesh:v1beta2", Format.APPMESH),
                new Case("istio", "istio", null, Format.ISTIO)));
    cases.addAll(both("nginx", Format.NGINX, DEPLOYMENT, INGRESS));
    cases.addAll(both("contour", Format.CONTOUR, DEPLOYMENT));
    cases.addAll(both("gloo", Format.GLOO, DEPLOYMENT));
    cases.addAll(both("traefik", Format.TRAEFIK, DEPLOYMENT));
    cases.addAll(both("skipper", Format.SKIPPER, DEPLOYMENT, INGRESS));
    cases.addAll(both("apisix", Format.APISIX, DEPLOYMENT, APISIX_ROUTE));
    cases.addAll(both("knative", Format.KNATIVE, KNATIVE_SERVICE));
    return cases;
  }

  /**
   * {@code provider} as the controller's mesh-provider, and as the Canary's {@code spec.provider}
   * under an Istio controller.
   */
  private static List<Case> both(String provider, Format f, String... refs) {
    return List.of(
        new Case(provider, provider, null, f, List.of(refs)),
        new Case(provider + " as spec.provider", "istio", provider, f, List.of(refs)));
  }

  private static final String DEPLOYMENT =
      "targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}";
  // not the target's name, so a query reading {{ target }} for {{ ingress }} finds only a decoy
  private static final String INGRESS =
      "ingressRef: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: podinfo-ingress}";
  private static final String APISIX_ROUTE =
      "routeRef: {apiVersion: apisix.apache.org/v2, kind: ApisixRoute, name: podinfo-route}";
  private static final String KNATIVE_SERVICE =
      "targetRef: {apiVersion: serving.knative.dev/v1, kind: Service, name: podinfo}";
  // the Knative Service's latest created revision: the knative observer's {{ route }}
  private static final String KNATIVE_REVISION = "podinfo-00002";

  @TempDir static Path tmp;
  private static SyntheticExporter exporter;
  private static SandboxPrometheus prometheus;
  // the analysis builds no router and reads no template; it reads the Knative Service's revision
  private static SandboxApiServer api;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Files.isExecutable(SandboxPrometheus.DEBIAN_BINARY), SandboxPrometheus.INSTALL_HINT);
    exporter = SyntheticExporter.start(telemetry());
    prometheus =
        SandboxPrometheus.start(
            SandboxPrometheus.DEBIAN_BINARY,
            List.of(ScrapeTarget.of("synthetic", exporter.url())),
            Duration.ofSeconds(1),
            tmp.resolve("prometheus"),
            Clock.systemUTC(),
            Duration.ofSeconds(60));
    api = SandboxApiServer.start(0);
    api.applyYaml(KNATIVE_CRD);
    api.applyYaml(
        """
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata: {name: podinfo, namespace: test}
        status: {latestCreatedRevisionName: %s}
        """
            .formatted(KNATIVE_REVISION));
  }

  /** The Knative Service CRD, schema left open, without a status subresource. */
  private static final String KNATIVE_CRD =
      """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: services.serving.knative.dev}
      spec:
        group: serving.knative.dev
        names: {kind: Service, listKind: ServiceList, plural: services, singular: service}
        scope: Namespaced
        versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
      """;

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
    if (exporter != null) {
      exporter.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void builtinChecksReadTheProvidersTelemetry(Case c) {
    // ControllerConfig refuses a mesh-provider without a router: such a case runs once the
    // provider is marked implemented in MeshProvider
    assumeTrue(
        MeshProvider.isImplemented(c.meshProvider()),
        () -> c.meshProvider() + " is not implemented yet");
    ControllerConfig config =
        ControllerConfig.from(
            Config.just(
                ConfigSources.create(
                    Map.of(
                        "flagger.mesh-provider", c.meshProvider(),
                        "flagger.metrics-server", prometheus.url()))),
            Map.of());
    MetricAnalysis analysis =
        StandardComponents.metricAnalysis(
            api.client(), config, new ControllerMetrics(MeterRegistry.create()));
    Canary canary = canary(c);

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              MetricAnalysis.Result result = analysis.run(canary);
              assertThat(result.failure()).isEmpty();
              Map<String, Double> values =
                  result.values().stream()
                      .collect(Collectors.toMap(ObservedValue::metric, ObservedValue::value));
              assertThat(values.get(CanaryMetric.REQUEST_SUCCESS_RATE))
                  .isCloseTo(c.format().successRate(), within(0.01));
              assertThat(values.get(CanaryMetric.REQUEST_DURATION))
                  .isCloseTo(c.format().durationSeconds(), within(0.002));
            });
  }

  private static Canary canary(Case c) {
    String yaml =
        """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata: {name: podinfo, namespace: test}
        spec:
          %s
          %s
          service: {port: 9898}
          analysis:
            interval: 15s
            threshold: 5
            stepWeight: 10
            metrics:
              - {name: request-success-rate, interval: 15s, thresholdRange: {min: 1}}
              - {name: request-duration, interval: 15s, thresholdRange: {max: 60000}}
        """
            .formatted(
                c.specProvider() == null ? "" : "provider: \"" + c.specProvider() + "\"",
                String.join("\n  ", c.refs()));
    return new KubernetesSerialization().unmarshal(yaml, Canary.class);
  }

  /** Every format's canary series and decoys, served together. */
  static List<Line> telemetry() {
    List<Line> out = new ArrayList<>();
    // HTTP (kubernetes, gatewayapi): the app's own histogram, relabelled with the pod
    String canaryPod = "kubernetes_namespace=\"test\",kubernetes_pod_name=\"" + CANARY_POD + "\"";
    String primaryPod = "kubernetes_namespace=\"test\",kubernetes_pod_name=\"" + PRIMARY_POD + "\"";
    Format h = Format.HTTP;
    String seconds = "http_request_duration_seconds";
    out.addAll(histogram(seconds, canaryPod + ",status=\"200\"", 0.001, h.latencyMs, h.ok));
    out.addAll(histogram(seconds, canaryPod + ",status=\"500\"", 0.001, h.latencyMs, h.failed));
    out.addAll(histogram(seconds, primaryPod + ",status=\"200\"", 0.001, DECOY_MS, 1));
    out.addAll(histogram(seconds, primaryPod + ",status=\"500\"", 0.001, DECOY_MS, 1));

    String istio = "reporter=\"destination\",destination_workload_namespace=\"test\"";
    mesh(
        out,
        Format.ISTIO,
        "istio_requests_total",
        "istio_request_duration_milliseconds",
        "response_code",
        "200",
        "500",
        istio + ",destination_workload=\"podinfo\"",
        istio + ",destination_workload=\"podinfo-primary\"",
        "reporter=\"source\",destination_workload_namespace=\"test\","
            + "destination_workload=\"podinfo\"");
    mesh(
        out,
        Format.LINKERD,
        "response_total",
        "response_latency_ms",
        "classification",
        "success",
        "failure",
        "namespace=\"test\",deployment=\"podinfo\",direction=\"inbound\"",
        "namespace=\"test\",deployment=\"podinfo-primary\",direction=\"inbound\"",
        "namespace=\"test\",deployment=\"podinfo\",direction=\"outbound\"");
    String osm = "destination_namespace=\"test\",destination_kind=\"Deployment\"";
    mesh(
        out,
        Format.OSM,
        "osm_request_total",
        "osm_request_duration_ms",
        "response_code",
        "200",
        "500",
        osm + ",destination_name=\"podinfo\"",
        osm + ",destination_name=\"podinfo-primary\"",
        "destination_namespace=\"other\",destination_kind=\"Deployment\","
            + "destination_name=\"podinfo\"");
    mesh(
        out,
        Format.KUMA,
        "envoy_cluster_upstream_rq",
        "envoy_cluster_upstream_rq_time",
        "envoy_response_code",
        "200",
        "503",
        "service=\"podinfo-canary_test_svc_9898\"",
        "service=\"podinfo-primary_test_svc_9898\"",
        "service=\"podinfo-canary_other_svc_9898\"");
    mesh(
        out,
        Format.APPMESH,
        "envoy_cluster_upstream_rq",
        "envoy_cluster_upstream_rq_time",
        "envoy_response_code",
        "200",
        "503",
        canaryPod,
        primaryPod,
        "kubernetes_namespace=\"other\",kubernetes_pod_name=\"" + CANARY_POD + "\"");
    ingressTelemetry(out);
    return out;
  }

  /**
   * The ingress controllers' and gateways' series: ingress-nginx by ingress with the canary
   * upstream, Envoy clusters named by Contour ({@code <ns>_<service>_<port>}), Gloo ({@code
   * <upstream>_<upstream ns>}) and Knative ({@code <ns>/<revision>}), Traefik services, Skipper
   * route ids and APISIX route names.
   */
  private static void ingressTelemetry(List<Line> out) {
    String nginx = "namespace=\"test\",ingress=\"podinfo-ingress\"";
    mesh(
        out,
        Format.NGINX,
        "nginx_ingress_controller_requests",
        "nginx_ingress_controller_response_duration_seconds",
        0.001,
        "",
        "status",
        "200",
        "503",
        nginx + ",service=\"podinfo-canary\",canary=\"test-podinfo-canary-9898\"",
        // primary traffic: ingress-nginx leaves the canary label empty
        nginx + ",service=\"podinfo-primary\",canary=\"\"",
        "namespace=\"test\",ingress=\"podinfo\",canary=\"test-podinfo-canary-9898\"",
        "namespace=\"other\",ingress=\"podinfo-ingress\",canary=\"other-podinfo-canary-9898\"");
    envoy(
        out,
        Format.CONTOUR,
        "envoy_cluster_name=\"test_podinfo-canary_9898\"",
        "envoy_cluster_name=\"test_podinfo-primary_9898\"",
        "envoy_cluster_name=\"other_podinfo-canary_9898\"");
    envoy(
        out,
        Format.GLOO,
        "envoy_cluster_name=\"test-podinfo-canaryupstream-9898_test\"",
        "envoy_cluster_name=\"test-podinfo-primaryupstream-9898_test\"",
        "envoy_cluster_name=\"other-podinfo-canaryupstream-9898_other\"");
    envoy(
        out,
        Format.KNATIVE,
        "envoy_cluster_name=\"test/" + KNATIVE_REVISION + "\"",
        "envoy_cluster_name=\"test/podinfo-00001\"",
        "envoy_cluster_name=\"other/" + KNATIVE_REVISION + "\"");
    codedHistograms(
        out,
        Format.TRAEFIK,
        List.of("traefik_service_request_duration_seconds"),
        "service=\"test-podinfo-canary-9898@kubernetescrd\",method=\"GET\",protocol=\"http\"",
        "service=\"test-podinfo-primary-9898@kubernetescrd\",method=\"GET\",protocol=\"http\"",
        "service=\"other-podinfo-canary-9898@kubernetescrd\",method=\"GET\",protocol=\"http\"");
    // kube_<ns>__<ingress>__<host>__<path>__<backend>, every non-word character as _
    codedHistograms(
        out,
        Format.SKIPPER,
        List.of("skipper_response_duration_seconds", "skipper_serve_route_duration_seconds"),
        "route=\"kube_test__podinfo_ingress_canary__app_example_com____podinfo_canary\"",
        "route=\"kube_test__podinfo_ingress__app_example_com____podinfo_primary\"",
        "route=\"kube_other__podinfo_ingress_canary__app_example_com____podinfo_canary\"");
    String apisix = "route=\"test_podinfo-route-podinfo-canary_http\"";
    mesh(
        out,
        Format.APISIX,
        "apisix_http_status",
        "apisix_http_latency",
        1,
        "type=\"request\",",
        "code",
        "200",
        "500",
        apisix,
        "route=\"test_podinfo-route_http\"",
        "route=\"other_podinfo-route-podinfo-canary_http\"");
    // the canary's upstream latency, which the request latency check must leave out
    out.addAll(histogram("apisix_http_latency", "type=\"upstream\"," + apisix, 1, DECOY_MS, 2));
  }

  /** Envoy's upstream request counter and millisecond timing of a cluster. */
  private static void envoy(List<Line> out, Format f, String canary, String... decoys) {
    mesh(
        out,
        f,
        "envoy_cluster_upstream_rq",
        "envoy_cluster_upstream_rq_time",
        "envoy_response_code",
        "200",
        "503",
        canary,
        decoys);
  }

  /**
   * Requests counted by second histograms split by {@code code} (Traefik, Skipper): each of {@code
   * names} with the canary's split and latency, two decoys at 50% and {@link #DECOY_MS}.
   */
  private static void codedHistograms(
      List<Line> out, Format f, List<String> names, String canary, String... decoys) {
    for (String name : names) {
      out.addAll(histogram(name, canary + ",code=\"200\"", 0.001, f.latencyMs, f.ok));
      out.addAll(histogram(name, canary + ",code=\"500\"", 0.001, f.latencyMs, f.failed));
      for (String decoy : decoys) {
        out.addAll(histogram(name, decoy + ",code=\"200\"", 0.001, DECOY_MS, 1));
        out.addAll(histogram(name, decoy + ",code=\"500\"", 0.001, DECOY_MS, 1));
      }
    }
  }

  /**
   * A request counter split by {@code codeLabel} and a millisecond histogram: the canary's series
   * with the format's split and latency, two decoys at 50% and {@link #DECOY_MS}.
   */
  private static void mesh(
      List<Line> out,
      Format f,
      String requests,
      String latency,
      String codeLabel,
      String ok,
      String failed,
      String canary,
      String... decoys) {
    mesh(out, f, requests, latency, 1, "", codeLabel, ok, failed, canary, decoys);
  }

  /**
   * As above with the latency histogram in {@code unit} (0.001 for seconds) and {@code
   * latencyLabels} (each followed by a comma) before the series' labels on it alone.
   */
  private static void mesh(
      List<Line> out,
      Format f,
      String requests,
      String latency,
      double unit,
      String latencyLabels,
      String codeLabel,
      String ok,
      String failed,
      String canary,
      String... decoys) {
    out.add(counter(requests, canary + "," + codeLabel + "=\"" + ok + "\"", f.ok));
    out.add(counter(requests, canary + "," + codeLabel + "=\"" + failed + "\"", f.failed));
    out.addAll(histogram(latency, latencyLabels + canary, unit, f.latencyMs, f.ok + f.failed));
    for (String decoy : decoys) {
      out.add(counter(requests, decoy + "," + codeLabel + "=\"" + ok + "\"", 1));
      out.add(counter(requests, decoy + "," + codeLabel + "=\"" + failed + "\"", 1));
      out.addAll(histogram(latency, latencyLabels + decoy, unit, DECOY_MS, 2));
    }
  }
}
