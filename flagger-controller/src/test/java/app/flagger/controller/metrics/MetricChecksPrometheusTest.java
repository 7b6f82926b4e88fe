package app.flagger.controller.metrics;

import static app.flagger.controller.metrics.FakeMetrics.canary;
import static app.flagger.controller.metrics.FakeMetrics.metric;
import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.judge.MetricSamples;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.TestFactories;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.MetricComparison;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
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
  void aSuccessRateProportionSendsIstiosRequestCountQueriesForTheCanaryAndThePrimary()
      throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      // canary: 45 of 50 requests succeeded; primary: 50 of 50
      for (String value : new String[] {"45.3", "50", "50", "50"}) {
        server.enqueue(
            new MockResponse.Builder()
                .body(
                    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                        + "\"result\":[{\"metric\":{},\"value\":[1796533200,\""
                        + value
                        + "\"]}]}}")
                .build());
      }
      MetricChecks checks =
          new MetricChecks(
              "istio",
              server.url("/").toString(),
              TestFactories.providers(),
              new FakeMetrics.FakeLookup());
      Canary canary = FakeMetrics.canary(null);
      CanaryMetric rate =
          new CanaryMetric(
              "request-success-rate",
              "1m",
              null,
              null,
              null,
              null,
              null,
              new MetricComparison("decrease", null, null, null, "proportion"));
      canary.setSpec(
          CanaryFixture.withAnalysis(
              canary.getSpec(),
              CanaryFixture.judged(canary.getSpec().analysis(), List.of(rate), null, false)));

      MetricAnalysis.Comparisons c = checks.compare(canary, Instant.EPOCH);

      assertThat(c.failure()).isEmpty();
      assertThat(c.inputs().get(0).samples()).isEqualTo(new MetricSamples.Counts(45, 50, 50, 50));
      String sel = "reporter=\"destination\",destination_workload_namespace=\"test\",";
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v1/query");
        sent.add(request.getUrl().queryParameter("query"));
      }
      assertThat(sent)
          .containsExactly(
              "sum(increase(istio_requests_total{"
                  + sel
                  + "destination_workload=~\"podinfo\",response_code!~\"5.*\"}[1m]))",
              "sum(increase(istio_requests_total{"
                  + sel
                  + "destination_workload=~\"podinfo\"}[1m]))",
              "sum(increase(istio_requests_total{"
                  + sel
                  + "destination_workload=~\"podinfo-primary\",response_code!~\"5.*\"}[1m]))",
              "sum(increase(istio_requests_total{"
                  + sel
                  + "destination_workload=~\"podinfo-primary\"}[1m]))");
    }
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
