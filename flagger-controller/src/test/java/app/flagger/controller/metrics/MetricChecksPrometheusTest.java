package app.flagger.controller.metrics;

import static app.flagger.controller.metrics.FakeMetrics.canary;
import static app.flagger.controller.metrics.FakeMetrics.metric;
import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.TestFactories;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/** Metric checks against a real (mock) Prometheus that is slow or gone: a failed check, no hang. */
class MetricChecksPrometheusTest {
  @Test
  void aSlowPrometheusFailsTheCheckWithinTheTimeout() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      server.enqueue(
          new MockResponse.Builder().body("{}").headersDelay(10, TimeUnit.SECONDS).build());
      MetricChecks checks =
          new MetricChecks(
              "istio",
              server.url("/").toString(),
              TestFactories.providers(Duration.ofMillis(300)),
              new FakeMetrics.FakeLookup());
      long start = System.nanoTime();
      MetricAnalysis.Result result =
          checks.run(canary(null, metric("request-success-rate", 99.0, null)));
      assertThat(result.failure())
          .hasValueSatisfying(
              f ->
                  assertThat(f)
                      .startsWith(
                          "Prometheus query failed: running query failed: request failed:"));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(9));
    }
  }

  @Test
  void aPrometheusThatIsDownIsReportedUnavailable() throws Exception {
    MockWebServer server = new MockWebServer();
    server.start();
    String address = server.url("/").toString();
    server.close();
    MetricChecks checks =
        new MetricChecks("istio", address, TestFactories.providers(), new FakeMetrics.FakeLookup());
    var canary = canary(null, metric("request-duration", null, 500.0));
    assertThat(checks.checkProviders(canary))
        .hasValueSatisfying(
            f ->
                assertThat(f)
                    .startsWith("prometheus not avaiable: running query failed: request failed:"));
    assertThat(checks.run(canary).failure())
        .hasValueSatisfying(
            f ->
                assertThat(f)
                    .startsWith("Prometheus query failed: running query failed: request failed:"));
  }

  @Test
  void anInvalidMetricsServerIsReported() {
    MetricChecks checks =
        new MetricChecks(
            "istio", "not a url", TestFactories.providers(), new FakeMetrics.FakeLookup());
    assertThat(checks.run(canary(null, metric("request-success-rate", 99.0, null))).failure())
        .contains(
            "Error building Prometheus client for not a url prometheus address not a url is not a"
                + " valid URL");
  }
}
