package app.flagger.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.grafana.provision.ExecutorTaskScheduler;
import app.flagger.grafana.provision.ProvisioningLoop;
import app.flagger.grafana.support.FakeGrafana;
import app.flagger.grafana.support.TestConfigs;
import io.helidon.config.Config;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the service as Main does (real scheduler, port 0) against a Grafana stub, and reads its
 * /health, /status and /metrics.
 */
class ServiceMetricsTest {
  private static final String API_TOKEN = "service-metrics-test-token";

  @TempDir Path dir;
  private final FakeGrafana grafana = new FakeGrafana(TestConfigs.basicAuth());
  private final MockWebServer grafanaServer = new MockWebServer();
  private final HttpClient http = HttpClient.newHttpClient();
  private final ExecutorTaskScheduler scheduler = new ExecutorTaskScheduler();
  private WebServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
    scheduler.close();
    grafanaServer.close();
  }

  /** Provisioned: ready health, a status listing the dashboards, and the service's metrics. */
  @Test
  void provisionsAndExposesHealthStatusAndMetrics() throws Exception {
    start("grafana.password", TestConfigs.PASSWORD);

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(get("/health/ready").statusCode()).isEqualTo(200));

    HttpResponse<String> status = get("/status");
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(status.body())
        .contains("\"phase\":\"ready\"")
        .contains("\"flagger-controller\":\"CREATED\"")
        .contains("\"prometheus\":\"http://prometheus:9090\"");
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .containsPattern("(?m)^flagger_grafana_ready\\{.*\\} 1\\.0$")
        .containsPattern("(?m)^flagger_grafana_dashboards\\{.*\\} 7\\.0$")
        .containsPattern(
            "(?m)^flagger_grafana_provisioning_runs_total\\{.*outcome=\"ready\".*\\} 1\\.0$");
    assertThat(get("/health").body()).contains("grafana-provisioning");
  }

  /** Wrong password: readiness is DOWN and says to check the admin user and password. */
  @Test
  void wrongCredentialsMakeHealthNotReady() throws Exception {
    start("grafana.password", "wrong");

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(get("/status").body()).contains("\"phase\":\"failed\""));

    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).contains("check the admin user and password").doesNotContain("wrong");
    assertThat(get("/metrics").body())
        .containsPattern("(?m)^flagger_grafana_ready\\{.*\\} 0\\.0$")
        .containsPattern(
            "(?m)^flagger_grafana_provisioning_runs_total\\{.*outcome=\"failed\".*\\} 1\\.0$");
  }

  private void start(String key, String password) throws Exception {
    grafanaServer.setDispatcher(grafana);
    grafanaServer.start();
    Config config =
        TestConfigs.config(
            grafanaServer.url("/").toString(),
            key.substring("grafana.".length()),
            password,
            "retry.initial-backoff",
            "PT30S",
            "retry.max-backoff",
            "PT60S",
            "api.token-file",
            token().toString());
    ProvisioningMetrics metrics = new ProvisioningMetrics();
    ProvisioningLoop loop = Main.loop(scheduler, Clock.systemUTC(), metrics);
    server =
        WebServer.builder()
            .update(b -> Main.setup(b, config, loop))
            .port(0)
            .host("127.0.0.1")
            .build();
    metrics.register(Services.get(MeterRegistry.class), loop::state);
    server.start();
    loop.start(GrafanaConfig.from(config.get("grafana")));
  }

  /** The provisioner's API token, as the Secret flagger-grafana-api mounts it. */
  private Path token() throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, API_TOKEN);
    return file;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Authorization", "Bearer " + API_TOKEN)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
