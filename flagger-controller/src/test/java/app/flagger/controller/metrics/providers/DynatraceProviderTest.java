package app.flagger.controller.metrics.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DynatraceProviderTest {
  private static final Map<String, String> SECRET = Map.of("dynatrace_token", "dt0c01.TOKEN");
  private static final String SELECTOR =
      "builtin:host.cpu.usage:filter(eq(Host,HOST-0990886B7D39FE29))";

  /** The fixed clock's whole second, in milliseconds. */
  private static final long NOW_MS = 1796515200000L;

  private VendorApi api;

  @BeforeEach
  void start() throws Exception {
    api = new VendorApi("dynatrace");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private MetricsProvider provider(String interval) throws MetricsProviderException {
    return api.provider(api.spec(api.address("/"), "dynatrace", null), SECRET, interval);
  }

  @Test
  void queriesTenMetricIntervalsUpToNowAndReadsTheLastSeriesFirstValue() throws Exception {
    api.replyFile(200, "query.json");
    MetricsProvider provider = provider("1m");
    assertThat(((MeteredProvider) provider).delegate()).isInstanceOf(DynatraceProvider.class);
    assertThat(provider.runQuery(SELECTOR)).isEqualTo(37.5);
    RecordedRequest request = api.take();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v2/metrics/query");
    assertThat(request.getUrl().queryParameter("metricSelector")).isEqualTo(SELECTOR);
    assertThat(request.getUrl().queryParameter("resolution")).isEqualTo("Inf");
    assertThat(request.getUrl().queryParameter("from")).isEqualTo(Long.toString(NOW_MS - 600_000));
    assertThat(request.getUrl().queryParameter("to")).isEqualTo(Long.toString(NOW_MS));
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Api-Token dt0c01.TOKEN");
  }

  @Test
  void theWindowFollowsTheMetricIntervalAndTheAddressKeepsItsPath() throws Exception {
    api.replyFile(200, "query.json");
    api.provider(api.spec(api.address("/e/abc123"), "dynatrace", null), SECRET, "30s")
        .runQuery(SELECTOR);
    RecordedRequest request = api.take();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/e/abc123/api/v2/metrics/query");
    assertThat(request.getUrl().queryParameter("from")).isEqualTo(Long.toString(NOW_MS - 300_000));
  }

  @Test
  void aNullValueNoSeriesOrNoResultIsNoValuesFound() throws Exception {
    api.replyFile(200, "null-value.json");
    assertThatThrownBy(() -> provider("1m").runQuery(SELECTOR))
        .isInstanceOf(NoValuesFoundException.class)
        .hasMessageStartingWith("no values found: invalid response: {");
    api.replyFile(200, "no-data.json");
    assertThatThrownBy(() -> provider("1m").runQuery(SELECTOR))
        .isInstanceOf(NoValuesFoundException.class);
    api.reply(200, "{\"totalCount\":0,\"nextPageKey\":null,\"result\":[]}");
    assertThatThrownBy(() -> provider("1m").runQuery(SELECTOR))
        .isInstanceOf(NoValuesFoundException.class);
    api.reply(200, "{\"series\": [{\"pointlist\": []}]}");
    assertThatThrownBy(() -> provider("1m").runQuery(SELECTOR))
        .isInstanceOf(NoValuesFoundException.class);
  }

  @Test
  void malformedAnswersAreErrors() throws Exception {
    api.reply(200, "{\"result\":[{\"data\":[{\"values\":[\"fast\"]}]}]}");
    assertThatThrownBy(() -> provider("1m").runQuery(SELECTOR))
        .isNotInstanceOf(NoValuesFoundException.class)
        .hasMessageStartingWith(
            "error unmarshaling result: result[0].data[last].values[0] is not a number");
    api.reply(200, "");
    assertThatThrownBy(() -> provider("1m").runQuery(SELECTOR))
        .isNotInstanceOf(NoValuesFoundException.class)
        .hasMessageStartingWith("error unmarshaling result:");
  }

  @Test
  void aRejectedTokenNamesTheSecretKeyAndTheScope() throws Exception {
    api.replyFile(401, "unauthorized.json");
    assertThatThrownBy(() -> provider("1m").runQuery(SELECTOR))
        .hasMessage(
            "error response: Status 401 Unauthorized: {\"error\": {\"code\": 401, \"message\":"
                + " \"Missing authorization parameter.\"}} (check dynatrace_token in Secret"
                + " dynatrace: the token needs the metrics.read scope (Read metrics))");
  }

  @Test
  void rateLimitsAndServerErrorsFailTheCheck() throws Exception {
    api.reply(429, "{\"error\":{\"code\":429,\"message\":\"Too Many Requests\"}}");
    assertThatThrownBy(() -> provider("1m").runQuery(SELECTOR))
        .isNotInstanceOf(NoValuesFoundException.class)
        .hasMessageStartingWith("error response: Status 429 Too Many Requests: {\"error\"");
    api.reply(502, "bad gateway");
    assertThatThrownBy(() -> provider("1m").runQuery(SELECTOR))
        .hasMessage("error response: Status 502 Bad Gateway: bad gateway");
  }

  @Test
  void isOnlineListsOneMetricWithTheToken() throws Exception {
    api.reply(200, "{\"totalCount\":1200,\"nextPageKey\":\"x\",\"metrics\":[]}");
    assertThat(provider("1m").isOnline()).isTrue();
    RecordedRequest request = api.take();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v2/metrics");
    assertThat(request.getUrl().encodedQuery()).isEqualTo("pageSize=1");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Api-Token dt0c01.TOKEN");
    api.reply(403, "{}");
    assertThatThrownBy(() -> provider("1m").isOnline())
        .hasMessageStartingWith("error response: Status 403 Forbidden: {} (check dynatrace_token");
  }

  @Test
  void aSlowApiTimesOut() throws Exception {
    try (VendorApi slow = new VendorApi("dynatrace", Duration.ofMillis(300))) {
      slow.replySlowly(VendorApi.resource("dynatrace/query.json"), 10);
      MetricsProvider provider =
          slow.provider(slow.spec(slow.address("/"), "dynatrace", null), SECRET, "1m");
      assertThatThrownBy(() -> provider.runQuery(SELECTOR))
          .isInstanceOf(MetricsProviderException.class)
          .hasMessageStartingWith("request failed:");
    }
  }

  @Test
  void addressAndTokenAreRequired() {
    assertThatThrownBy(() -> api.provider(api.spec(null, "dynatrace", null), SECRET, "1m"))
        .hasMessage("dynatrace endpoint is not set");
    assertThatThrownBy(
            () -> api.provider(api.spec(api.address("/"), "dt-secret", null), Map.of(), "1m"))
        .hasMessage("dynatrace credentials does not contain dynatrace_token (Secret dt-secret)");
    assertThatThrownBy(() -> provider("1x"))
        .hasMessage("error parsing metric interval: time: invalid duration \"1x\"");
  }

  private static final RangeWindow FIVE_MINUTES =
      new RangeWindow(
          java.time.Instant.ofEpochMilli(NOW_MS - 300_000),
          java.time.Instant.ofEpochMilli(NOW_MS),
          Duration.ofSeconds(10));

  @Test
  void aRangeQueryAsksForTheWindowAtMinuteResolutionAndReadsTheSeriesWithNullsAsNaN()
      throws Exception {
    api.replyFile(200, "range.json");
    MetricsProvider provider = provider("5m");
    String selector = "builtin:service.response.time:percentile(99)";

    assertThat(provider.supportsRangeQueries()).isTrue();
    assertThat(provider.runRangeQuery(selector, FIVE_MINUTES))
        .containsExactly(101250.0, 99870.5, Double.NaN, 100410.0, 102003.25);
    RecordedRequest request = api.take();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v2/metrics/query");
    assertThat(request.getUrl().queryParameterNames())
        .containsExactlyInAnyOrder("metricSelector", "resolution", "from", "to");
    assertThat(request.getUrl().queryParameter("metricSelector")).isEqualTo(selector);
    assertThat(request.getUrl().queryParameter("resolution")).isEqualTo("1m");
    assertThat(request.getUrl().queryParameter("from")).isEqualTo(Long.toString(NOW_MS - 300_000));
    assertThat(request.getUrl().queryParameter("to")).isEqualTo(Long.toString(NOW_MS));
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Api-Token dt0c01.TOKEN");
  }

  @Test
  void aRangeResolutionIsTheStepInWholeMinutesAndPointsAreSortedByTime() throws Exception {
    api.reply(200, "{\"result\":[{\"data\":[{\"timestamps\":[2000,1000],\"values\":[2.0,1.0]}]}]}");
    RangeWindow hour =
        new RangeWindow(
            java.time.Instant.ofEpochMilli(NOW_MS - 3_600_000),
            java.time.Instant.ofEpochMilli(NOW_MS),
            Duration.ofSeconds(120));
    assertThat(provider("1h").runRangeQuery(SELECTOR, hour)).containsExactly(1.0, 2.0);
    assertThat(api.take().getUrl().queryParameter("resolution")).isEqualTo("2m");
  }

  @Test
  void aRangeQueryWithoutSeriesIsEmptyAndSeveralSeriesFail() throws Exception {
    api.replyFile(200, "no-data.json");
    assertThat(provider("5m").runRangeQuery(SELECTOR, FIVE_MINUTES)).isEmpty();
    api.replyFile(200, "query.json");
    assertThatThrownBy(() -> provider("5m").runRangeQuery("builtin:host.cpu.usage", FIVE_MINUTES))
        .isInstanceOf(MultipleValuesException.class)
        .hasMessage("range query returned 2 series, expected one");
    api.replyFile(401, "unauthorized.json");
    assertThatThrownBy(() -> provider("5m").runRangeQuery(SELECTOR, FIVE_MINUTES))
        .hasMessageStartingWith("error response: Status 401 Unauthorized: ")
        .hasMessageContaining("the token needs the metrics.read scope");
  }
}
