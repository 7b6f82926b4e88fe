package app.flagger.sandbox.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated Prometheus configuration scrapes every target every few seconds. */
class PrometheusConfigTest {

  @Test
  void writesOneJobPerTarget() {
    String yaml =
        PrometheusConfig.yaml(
            Duration.ofSeconds(2),
            List.of(
                ScrapeTarget.of("istio-mesh", "http://127.0.0.1:4000/metrics"),
                new ScrapeTarget("flagger", "127.0.0.1:8080", "/metrics")));
    assertThat(yaml)
        .contains("scrape_interval: 2000ms")
        .contains("- job_name: 'istio-mesh'\n    metrics_path: '/metrics'")
        .contains("- targets: ['127.0.0.1:4000']")
        .contains("- targets: ['127.0.0.1:8080']")
        .contains("- job_name: 'kubernetes-pods'")
        .contains("- files: ['pods.json']");
  }

  @Test
  void rejectsBadTargets() {
    assertThatThrownBy(() -> new ScrapeTarget("bad job", "127.0.0.1:1", "/metrics"))
        .hasMessageContaining("scrape job name");
    assertThatThrownBy(() -> new ScrapeTarget("ok", "127.0.0.1", "/metrics"))
        .hasMessageContaining("host:port");
  }
}
