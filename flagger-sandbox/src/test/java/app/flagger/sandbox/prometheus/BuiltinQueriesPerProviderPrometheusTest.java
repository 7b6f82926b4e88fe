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
import app.flagger.sandbox.prometheus.SyntheticExporter.Line;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
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
 * implemented provider (and App Mesh, whose queries exist ahead of its router), run through the
 * controller's own metric analysis ({@link StandardComponents#metricAnalysis}: the provider key and
 * observer a tick picks from the controller's mesh provider and the Canary's {@code spec.provider})
 * against the real Prometheus scraping synthetic telemetry in every provider's format at once. Each
 * format carries its own success rate and latency bucket, and decoy series (the primary, other
 * directions or reporters) with other values, so a value read proves both the observer picked and
 * its label matchers.
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
    APPMESH(7, 3, 1500);

    final int ok;
    final int failed;
    final double latencyMs;

    Format(int ok, int failed, double latencyMs) {
      this.ok = ok;
      this.failed = failed;
      this.latencyMs = latencyMs;
    }

    double successRate() {
      return 100.0 * ok / (ok + failed);
    }

    /** The duration check's value in seconds; every observer but HTTP truncates to whole ms. */
    double p99Seconds() {
      double ms = SyntheticExporter.p99Ms(latencyMs);
      return (this == HTTP ? ms : Math.floor(ms)) / 1000;
    }
  }

  /**
   * A controller with {@code meshProvider} checking a Canary with {@code specProvider} (null for
   * none) reads {@code format}.
   */
  record Case(String name, String meshProvider, String specProvider, Format format) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    return List.of(
        new Case(
            "gatewayapi:v1 reads the app's HTTP histogram", "istio", "gatewayapi:v1", Format.HTTP),
        new Case("kubernetes reads the app's HTTP histogram", "kubernetes", null, Format.HTTP),
        new Case("linkerd", "linkerd", null, Format.LINKERD),
        new Case("linkerd as spec.provider", "istio", "linkerd", Format.LINKERD),
        new Case("osm", "istio", "osm", Format.OSM),
        new Case(
            "smi:v1alpha3 under a linkerd controller", "linkerd", "smi:v1alpha3", Format.LINKERD),
        new Case(
            "smi:v1alpha3:linkerd as mesh-provider", "smi:v1alpha3:linkerd", null, Format.ISTIO),
        new Case("smi:v1alpha3 under an istio controller", "istio", "smi:v1alpha3", Format.ISTIO),
        new Case("kuma", "kuma", null, Format.KUMA),
        new Case("appmesh:v1beta2", "istio", "appmesh:v1beta2", Format.APPMESH),
        new Case("istio", "istio", null, Format.ISTIO));
  }

  @TempDir static Path tmp;
  private static SyntheticExporter exporter;
  private static SandboxPrometheus prometheus;
  // the analysis builds no router and reads no template: nothing is sent to this address
  private static KubernetesClient client;

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
    client =
        new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:1").build())
            .build();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
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
            client, config, new ControllerMetrics(MeterRegistry.create()));
    Canary canary = canary(c.specProvider());

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
                  .isCloseTo(c.format().p99Seconds(), within(0.002));
            });
  }

  private static Canary canary(String provider) {
    String yaml =
        """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata: {name: podinfo, namespace: test}
        spec:
          %s
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
          service: {port: 9898}
          analysis:
            interval: 15s
            threshold: 5
            stepWeight: 10
            metrics:
              - {name: request-success-rate, interval: 15s, thresholdRange: {min: 1}}
              - {name: request-duration, interval: 15s, thresholdRange: {max: 60000}}
        """
            .formatted(provider == null ? "" : "provider: \"" + provider + "\"");
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
    return out;
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
    out.add(counter(requests, canary + "," + codeLabel + "=\"" + ok + "\"", f.ok));
    out.add(counter(requests, canary + "," + codeLabel + "=\"" + failed + "\"", f.failed));
    out.addAll(histogram(latency, canary, 1, f.latencyMs, f.ok + f.failed));
    for (String decoy : decoys) {
      out.add(counter(requests, decoy + "," + codeLabel + "=\"" + ok + "\"", 1));
      out.add(counter(requests, decoy + "," + codeLabel + "=\"" + failed + "\"", 1));
      out.addAll(histogram(latency, decoy, 1, DECOY_MS, 2));
    }
  }
}
