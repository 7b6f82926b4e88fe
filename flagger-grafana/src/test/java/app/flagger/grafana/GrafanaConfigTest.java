package app.flagger.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.grafana.support.TestConfigs;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GrafanaConfigTest {
  @Test
  void defaultsFollowFlaggersChart() {
    GrafanaConfig c = TestConfigs.grafana("http://grafana:3000/");

    assertThat(c.url()).hasToString("http://grafana:3000");
    assertThat(c.prometheusUrl()).hasToString("http://prometheus:9090");
    assertThat(c.folder()).isEqualTo("Flagger");
    assertThat(c.datasourceUid()).isEqualTo("flagger-prometheus");
    assertThat(c.mode()).isEqualTo(ProvisioningMode.API);
    assertThat(c.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.responseLimit()).isEqualTo(1024 * 1024);
    assertThat(TestConfigs.grafana("http://g:3000", "http-response-limit", "4Mi").responseLimit())
        .isEqualTo(4 * 1024 * 1024);
  }

  /** A shared Grafana keeps its own default datasource unless asked otherwise. */
  @Test
  void theDatasourceBecomesGrafanasDefaultOnlyWhenAsked() {
    assertThat(TestConfigs.grafana("http://g:3000").datasourceDefault()).isFalse();
    assertThat(
            TestConfigs.grafana("http://g:3000", "datasource.default", "true").datasourceDefault())
        .isTrue();
  }

  @Test
  void toStringHidesSecrets() {
    GrafanaConfig c = TestConfigs.grafana("http://grafana:3000", "token", "glsa_secret");

    assertThat(c.toString()).doesNotContain(TestConfigs.PASSWORD).doesNotContain("glsa_secret");
  }

  @Test
  void badValuesNameTheKeyAndWhatWasExpected() {
    assertThatThrownBy(() -> TestConfigs.grafana("grafana:3000"))
        .hasMessageContaining("grafana.url")
        .hasMessageContaining("absolute http(s) URL");
    assertThatThrownBy(() -> TestConfigs.grafana("http://g:3000", "mode", "both"))
        .hasMessage("grafana.mode: expected 'api' or 'files', got 'both'");
    assertThatThrownBy(() -> TestConfigs.grafana("http://g:3000", "prometheus-url", "prometheus"))
        .hasMessageContaining("grafana.prometheus-url");
    assertThatThrownBy(() -> TestConfigs.grafana("http://g:3000", "retry.max-backoff", "30s"))
        .hasMessageContaining("grafana.retry.max-backoff")
        .hasMessageContaining("ISO-8601");
    assertThatThrownBy(
            () ->
                TestConfigs.grafana(
                    "http://g:3000", "retry.initial-backoff", "PT10S", "retry.max-backoff", "PT1S"))
        .hasMessageContaining("grafana.retry.max-backoff: expected at least initial-backoff");
    assertThatThrownBy(() -> TestConfigs.grafana("http://g:3000", "http-response-limit", "0"))
        .hasMessage(
            "grafana.http-response-limit: expected a size in bytes from 1 to 1Gi, like 1048576 or"
                + " 1Mi, got '0'");
  }
}
