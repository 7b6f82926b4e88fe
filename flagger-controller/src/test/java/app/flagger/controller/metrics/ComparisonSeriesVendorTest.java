package app.flagger.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.judge.MetricSamples;
import app.flagger.controller.metrics.MetricAnalysis.Comparisons;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.TestFactories;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.MetricComparison;
import app.flagger.model.common.NamedReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * A comparison through a real provider other than Prometheus: a Datadog MetricTemplate is read as
 * series for the canary and the baseline over the step's window.
 */
class ComparisonSeriesVendorTest {
  private static final Instant END = Instant.parse("2026-12-06T05:00:00Z");

  private static String pointlist(double... values) {
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      points.append(i == 0 ? "" : ",").append("[").append(1_796_533_140_000L + 10_000L * i);
      points.append(",").append(values[i]).append("]");
    }
    return "{\"status\":\"ok\",\"series\":[{\"pointlist\":[" + points + "]}]}";
  }

  @Test
  void aDatadogTemplateIsComparedAsTwoSeriesOverTheStepsWindow() throws Exception {
    try (MockWebServer datadog = new MockWebServer()) {
      datadog.start();
      datadog.enqueue(new MockResponse.Builder().body("{\"valid\":true}").build());
      datadog.enqueue(new MockResponse.Builder().body(pointlist(140, 141, 139)).build());
      datadog.enqueue(new MockResponse.Builder().body(pointlist(100, 101, 99)).build());
      FakeMetrics.FakeLookup lookup = new FakeMetrics.FakeLookup();
      lookup.template(
          "test",
          "latency",
          "datadog",
          datadog.url("/").toString(),
          "avg:trace.http.request.duration{kube_deployment:{{ target }}}.rollup(avg, 10)",
          "datadog");
      lookup.secrets.put(
          "test/datadog", Map.of("datadog_api_key", "a", "datadog_application_key", "b"));
      Canary canary = FakeMetrics.canary(null);
      CanaryMetric latency =
          new CanaryMetric(
              "latency",
              "1m",
              null,
              null,
              null,
              new NamedReference("latency", null),
              null,
              new MetricComparison("increase", null, null, null, null));
      canary.setSpec(
          CanaryFixture.withAnalysis(
              canary.getSpec(),
              CanaryFixture.judged(canary.getSpec().analysis(), List.of(latency), null, true)));
      MetricChecks checks =
          new MetricChecks("istio", "http://prometheus:9090", TestFactories.providers(), lookup);

      assertThat(checks.checkProviders(canary)).isEmpty();
      Comparisons c = checks.compare(canary, END);

      assertThat(c.failure()).isEmpty();
      MetricSamples.Series series = (MetricSamples.Series) c.inputs().get(0).samples();
      assertThat(series.canary()).containsExactly(140, 141, 139);
      assertThat(series.baseline()).containsExactly(100, 101, 99);
      List<String> queries = new ArrayList<>();
      while (datadog.getRequestCount() > queries.size()) {
        RecordedRequest r = datadog.takeRequest(5, TimeUnit.SECONDS);
        if (r.getUrl().encodedPath().equals("/api/v1/query")) {
          assertThat(r.getUrl().queryParameter("from")).isEqualTo("1796533140");
          assertThat(r.getUrl().queryParameter("to")).isEqualTo("1796533200");
          queries.add(r.getUrl().queryParameter("query"));
        } else {
          queries.add(r.getUrl().encodedPath());
        }
      }
      assertThat(queries)
          .containsExactly(
              "/api/v1/validate",
              "avg:trace.http.request.duration{kube_deployment:podinfo}.rollup(avg, 10)",
              "avg:trace.http.request.duration{kube_deployment:podinfo-baseline}.rollup(avg, 10)");
    }
  }
}
