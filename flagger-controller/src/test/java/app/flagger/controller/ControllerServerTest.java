package app.flagger.controller;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.observe.CanaryMetricsRecorder;
import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.controller.observe.MetricsEndpoint;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.DeploymentStrategy;
import app.flagger.model.metrics.FlaggerMetrics;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Starts the controller's HTTP server and scrapes /metrics and /health as Prometheus would. */
class ControllerServerTest {
  static WebServer server;
  static ReadinessState readiness = new ReadinessState(false);
  static HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    Config config =
        config(
            Map.of(
                "server.port", "0",
                "server.host", "127.0.0.1",
                "server.features.observe.endpoint", "/"));
    server = ControllerServer.create(config, readiness).start();
    MeterRegistry registry = Services.get(MeterRegistry.class);
    CanaryMetricsRecorder recorder = new CanaryMetricsRecorder(registry);
    recorder.setInfo("0.1.0", "kubernetes");
    recorder.setTotal("test", 1);
    recorder.setStatus("podinfo", "test", CanaryPhase.PROGRESSING);
    recorder.setWeight("podinfo", "test", 90, 10);
    recorder.setDuration("podinfo", "test", Duration.ofMillis(30));
    recorder.setAnalysis("podinfo", "test", "request-success-rate", 99.5);
    recorder.incSuccesses("podinfo", "test", DeploymentStrategy.CANARY, false);
    recorder.incFailures("podinfo", "test", DeploymentStrategy.BLUE_GREEN);
    ControllerMetrics controller = new ControllerMetrics(registry);
    controller.recordCall(FlaggerMetrics.CallTarget.WEBHOOK, Duration.ofMillis(3), true);
    controller.recordLateness(Duration.ofMillis(2));
    controller.eventQueueDepth(() -> 0);
    controller.kubeEventQueueDepth(() -> 0);
    controller.kubeRequestsInFlight(() -> 0);
    controller.canariesWaiting(() -> 0);
    controller.recordTick(Duration.ofMillis(4));
    controller.eventDropped(FlaggerMetrics.SINK_KUBERNETES, FlaggerMetrics.REASON_QUEUE_FULL).run();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Accept", "text/plain")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsAreServedInPrometheusTextWithFlaggersNames() throws Exception {
    HttpResponse<String> res = get("/metrics");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("content-type")).hasValue(MetricsEndpoint.CONTENT_TYPE);
    String body = res.body();
    assertThat(res.headers().firstValueAsLong("content-length"))
        .hasValue(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    assertThat(body)
        .containsPattern("flagger_info\\{.*mesh_provider=\"kubernetes\".*version=\"0.1.0\".*} 1.0")
        .containsPattern("flagger_canary_total\\{namespace=\"test\".*} 1.0")
        .containsPattern("flagger_canary_status\\{name=\"podinfo\",namespace=\"test\".*} 0.0")
        .containsPattern(
            "flagger_canary_weight\\{namespace=\"test\",.*workload=\"podinfo-primary\",?} 90.0")
        .containsPattern(
            "flagger_canary_weight\\{namespace=\"test\",.*workload=\"podinfo\",?} 10.0")
        .containsPattern("flagger_canary_duration_seconds_bucket\\{.*le=\"0.05\".*} 1")
        .containsPattern("flagger_canary_metric_analysis\\{metric=\"request-success-rate\".*} 99.5")
        .containsPattern(
            "flagger_canary_successes_total\\{analysis_status=\"completed\",deployment_strategy=\"canary\".*} 1.0")
        .containsPattern(
            "flagger_canary_failures_total\\{analysis_status=\"completed\",deployment_strategy=\"blue-green\".*} 1.0")
        .containsPattern(
            "flagger_controller_calls_total\\{outcome=\"success\",.*target=\"webhook\",?} [1-9]")
        .contains("flagger_controller_call_duration_seconds_bucket")
        .containsPattern(
            "flagger_controller_calls_total\\{outcome=\"error\",.*target=\"notifier\",?} [0-9]")
        .contains("flagger_controller_kube_client_throttle_seconds_bucket")
        .contains("flagger_controller_tick_lateness_seconds_bucket")
        .contains("flagger_controller_tick_duration_seconds_bucket")
        .contains("flagger_controller_kube_event_queue_depth")
        .contains("flagger_controller_kube_requests_in_flight")
        .containsPattern("flagger_controller_events_dropped_total\\{.*sink=\"kubernetes\".*} [1-9]")
        .contains("flagger_controller_jobs")
        .containsPattern("flagger_controller_canaries_waiting(\\{[^}]*})? 0")
        .contains("flagger_controller_event_webhook_queue_depth")
        .contains("flagger_controller_process_cpu_seconds_total")
        .contains("flagger_controller_jvm_heap_used_bytes")
        .doesNotContain("flagger_canary_duration_seconds{quantile")
        // the per-Canary families, rendered by MetricsEndpoint, as Micrometer wrote them
        .contains(
            "# HELP flagger_canary_status Last canary analysis result\n"
                + "# TYPE flagger_canary_status gauge\n")
        .contains(
            "flagger_canary_duration_seconds_bucket{name=\"podinfo\",namespace=\"test\","
                + "scope=\"application\",le=\"+Inf\",} 1.0\n"
                + "flagger_canary_duration_seconds_count{name=\"podinfo\",namespace=\"test\","
                + "scope=\"application\",} 1.0\n"
                + "flagger_canary_duration_seconds_sum{name=\"podinfo\",namespace=\"test\","
                + "scope=\"application\",} 0.03\n");
  }

  @Test
  void metricsAreRenderedWhereHelidonsObserverServesThem() {
    assertThat(ControllerServer.metricsPath(config(Map.of()))).isEqualTo("/observe/metrics");
    assertThat(ControllerServer.metricsPath(config(Map.of("endpoint", "/")))).isEqualTo("/metrics");
    assertThat(ControllerServer.metricsPath(config(Map.of("observers.metrics.endpoint", "/prom"))))
        .isEqualTo("/prom");
    assertThat(
            ControllerServer.metricsPath(
                config(Map.of("endpoint", "/obs", "observers.metrics.endpoint", "m"))))
        .isEqualTo("/obs/m");
  }

  static Config config(Map<String, String> keys) {
    return Config.builder()
        .disableEnvironmentVariablesSource()
        .disableSystemPropertiesSource()
        .sources(ConfigSources.create(keys))
        .build();
  }

  @Test
  void readinessFollowsInformersAndHealthzAnswersOk() throws Exception {
    assertThat(get("/healthz").body()).isEqualTo("OK");
    assertThat(get("/health/live").statusCode()).isIn(200, 204);
    readiness.informersSynced(false);
    assertThat(get("/health/ready").statusCode()).isEqualTo(503);
    readiness.informersSynced(true);
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
  }
}
