package app.flagger.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.grafana.support.FakeGrafana;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GrafanaProvisioningTest {
  private final FakeGrafana grafana =
      new FakeGrafana(
          "Basic "
              + Base64.getEncoder()
                  .encodeToString("admin:s3cret".getBytes(StandardCharsets.UTF_8)));
  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(grafana);
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theGrafanaUrlComesFromTheArgumentsFirst() {
    Map<String, String> env = Map.of("GRAFANA_URL", "http://env:3000");
    assertThat(GrafanaProvisioning.url(new String[] {"--grafana-url=http://arg:3000"}, env))
        .contains("http://arg:3000");
    assertThat(GrafanaProvisioning.url(new String[] {"--stay"}, env)).contains("http://env:3000");
    assertThat(GrafanaProvisioning.url(new String[0], Map.of())).isEmpty();
  }

  @Test
  void provisionsTheDatasourceOnTheSandboxPrometheusAndTheDashboards() {
    var config =
        GrafanaProvisioning.config(
            server.url("/").toString(),
            "http://127.0.0.1:9091",
            Map.of("GRAFANA_PASSWORD", "s3cret"));

    assertThat(GrafanaProvisioning.provision(config)).isTrue();

    assertThat(grafana.datasources().get("flagger-prometheus").getString("url"))
        .isEqualTo("http://127.0.0.1:9091");
    assertThat(grafana.dashboards()).isNotEmpty();
    assertThat(config.toString()).doesNotContain("s3cret");
  }

  @Test
  void wrongCredentialsAreAFailureNotACrash() {
    var config =
        GrafanaProvisioning.config(
            server.url("/").toString(), "http://127.0.0.1:9091", Map.of("GRAFANA_PASSWORD", "no"));
    assertThat(GrafanaProvisioning.provision(config)).isFalse();
  }

  @Test
  void aBadUrlNamesTheKey() {
    assertThatThrownBy(() -> GrafanaProvisioning.config("not a url", "http://p:9090", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("grafana.url");
  }
}
