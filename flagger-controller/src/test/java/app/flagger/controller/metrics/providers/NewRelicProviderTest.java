package app.flagger.controller.metrics.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NewRelicProviderTest {
  private static final Map<String, String> SECRET =
      Map.of("newrelic_account_id", "1234567", "newrelic_query_key", "NRIQ-key");
  private static final String QUERY =
      "SELECT sum(nginx_ingress_controller_requests) / 1 FROM Metric WHERE status = '200'";

  private VendorApi api;

  @BeforeEach
  void start() throws Exception {
    api = new VendorApi("newrelic");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private MetricsProvider provider(String interval) throws MetricsProviderException {
    return api.provider(api.spec(api.address("/"), "newrelic", null), SECRET, interval);
  }

  @Test
  void readsTheOneResultAndSendsTheNrqlWithTheMetricIntervalAndTheQueryKey() throws Exception {
    api.replyFile(200, "result.json");
    MetricsProvider provider = provider("1m");
    assertThat(((MeteredProvider) provider).delegate()).isInstanceOf(NewRelicProvider.class);
    assertThat(provider.runQuery(QUERY)).isEqualTo(1.11111);
    RecordedRequest request = api.take();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/accounts/1234567/query");
    assertThat(request.getUrl().queryParameterNames()).containsExactly("nrql");
    assertThat(request.getUrl().queryParameter("nrql")).isEqualTo(QUERY + " SINCE 60 seconds ago");
    assertThat(request.getHeaders().get("X-Query-Key")).isEqualTo("NRIQ-key");
  }

  @Test
  void theWindowIsTheMetricIntervalInWholeSeconds() throws Exception {
    api.replyFile(200, "result.json");
    provider("90500ms").runQuery("SELECT count(*) FROM Transaction");
    assertThat(api.take().getUrl().queryParameter("nrql"))
        .isEqualTo("SELECT count(*) FROM Transaction SINCE 90 seconds ago");
  }

  @Test
  void keepsThePathOfTheAddressAndSendsTheTemplateHeaders() throws Exception {
    api.replyFile(200, "result.json");
    api.provider(
            api.spec(api.address("/eu/"), "newrelic", Map.of("X-Tenant", List.of("blue"))),
            SECRET,
            "1m")
        .runQuery(QUERY);
    RecordedRequest request = api.take();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/eu/v1/accounts/1234567/query");
    assertThat(request.getHeaders().get("X-Tenant")).isEqualTo("blue");
  }

  @Test
  void noResultOrSeveralResultsAreNoValuesFound() throws Exception {
    api.replyFile(200, "no-results.json");
    assertThatThrownBy(() -> provider("1m").runQuery(QUERY))
        .isInstanceOf(NoValuesFoundException.class)
        .hasMessageStartingWith("no values found: invalid response: {");
    api.replyFile(200, "two-results.json");
    assertThatThrownBy(() -> provider("1m").runQuery(QUERY))
        .isInstanceOf(NoValuesFoundException.class);
    api.reply(200, "{\"results\":[{\"result\":null}]}");
    assertThatThrownBy(() -> provider("1m").runQuery(QUERY))
        .isInstanceOf(NoValuesFoundException.class);
  }

  @Test
  void aResultThatIsNotANumberIsAnError() throws Exception {
    api.reply(200, "{\"results\":[{\"result\":\"high\"}]}");
    assertThatThrownBy(() -> provider("1m").runQuery(QUERY))
        .isNotInstanceOf(NoValuesFoundException.class)
        .hasMessage(
            "error unmarshaling result: results[0].result is not a number,"
                + " '{\"results\":[{\"result\":\"high\"}]}'");
    api.reply(200, "<html>maintenance</html>");
    assertThatThrownBy(() -> provider("1m").runQuery(QUERY))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessageStartingWith("error unmarshaling result:")
        .hasMessageEndingWith(", '<html>maintenance</html>'");
  }

  @Test
  void aRejectedQueryKeyNamesTheSecretAndItsKeys() throws Exception {
    api.replyFile(401, "unauthorized.json");
    assertThatThrownBy(() -> provider("1m").runQuery(QUERY))
        .hasMessage(
            "error response: Status 401 Unauthorized: {\"error\": \"Invalid query key.\"}"
                + " (check newrelic_query_key and newrelic_account_id in Secret newrelic)");
    api.reply(403, "forbidden");
    assertThatThrownBy(() -> provider("1m").isOnline())
        .hasMessageStartingWith("error response: Status 403 Forbidden: forbidden (check");
  }

  @Test
  void rateLimitsAndServerErrorsFailTheCheckWithTheApisWords() throws Exception {
    api.reply(429, "{\"error\":\"Too many requests\"}");
    assertThatThrownBy(() -> provider("1m").runQuery(QUERY))
        .isNotInstanceOf(NoValuesFoundException.class)
        .hasMessage(
            "error response: Status 429 Too Many Requests: {\"error\":\"Too many requests\"}");
    api.reply(503, "x".repeat(2000));
    assertThatThrownBy(() -> provider("1m").runQuery(QUERY))
        .hasMessage(
            "error response: Status 503 Service Unavailable: "
                + "x".repeat(HttpApi.EXCERPT)
                + "...");
  }

  @Test
  void isOnlineRunsSelectAllFromMetric() throws Exception {
    api.reply(200, "{\"results\":[{\"events\":[]}]}");
    assertThat(provider("1m").isOnline()).isTrue();
    assertThat(api.take().getUrl().queryParameter("nrql"))
        .isEqualTo("SELECT * FROM Metric SINCE 60 seconds ago");
    api.reply(500, "oops");
    assertThatThrownBy(() -> provider("1m").isOnline())
        .hasMessage("error response: Status 500 Internal Server Error: oops");
  }

  @Test
  void aSlowApiTimesOut() throws Exception {
    try (VendorApi slow = new VendorApi("newrelic", Duration.ofMillis(300))) {
      slow.replySlowly(VendorApi.resource("newrelic/result.json"), 10);
      MetricsProvider provider =
          slow.provider(slow.spec(slow.address("/"), "newrelic", null), SECRET, "1m");
      long start = System.nanoTime();
      assertThatThrownBy(() -> provider.runQuery(QUERY))
          .isInstanceOf(MetricsProviderException.class)
          .hasMessageStartingWith("request failed:");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(9));
    }
  }

  @Test
  void missingSecretKeysAreConstructionErrorsNamingTheSecretAndTheKey() {
    var spec = api.spec(api.address("/"), "nr-creds", null);
    assertThatThrownBy(() -> api.provider(spec, Map.of("newrelic_query_key", "k"), "1m"))
        .hasMessage(
            "newrelic credentials does not contain the key 'newrelic_account_id' (Secret nr-creds)");
    assertThatThrownBy(() -> api.provider(spec, Map.of("newrelic_account_id", "1234567"), "1m"))
        .hasMessage(
            "newrelic credentials does not contain the key 'newrelic_query_key' (Secret nr-creds)");
    assertThatThrownBy(() -> api.provider(api.spec(null, null, null), Map.of(), "1m"))
        .hasMessage(
            "newrelic credentials does not contain the key 'newrelic_account_id'"
                + " (no spec.provider.secretRef is set)");
    assertThatThrownBy(
            () ->
                api.provider(
                    spec, Map.of("newrelic_account_id", "12 34", "newrelic_query_key", "k"), "1m"))
        .hasMessage(
            "newrelic credentials key 'newrelic_account_id' in Secret nr-creds must be the numeric"
                + " account id");
  }

  @Test
  void theDefaultAddressIsTheInsightsApiAndAnUnparsableIntervalIsAnError() throws Exception {
    assertThat(NewRelicProvider.DEFAULT_ADDRESS).isEqualTo("https://insights-api.newrelic.com");
    assertThat(api.provider(api.spec(null, "newrelic", null), SECRET, "1m")).isNotNull();
    assertThatThrownBy(() -> provider("soon"))
        .hasMessage("error parsing metric interval: time: invalid duration \"soon\"");
  }

  private static final RangeWindow WINDOW = VendorApi.LAST_MINUTE;

  @Test
  void aRangeQueryAsksForATimeseriesOverTheWindowAndReadsEachBucketsResult() throws Exception {
    api.replyFile(200, "timeseries.json");
    MetricsProvider provider = provider("1m");

    assertThat(provider.supportsRangeQueries()).isTrue();
    assertThat(provider.runRangeQuery(QUERY, WINDOW)).containsExactly(0.5, Double.NaN, 1.5);
    RecordedRequest request = api.take();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/accounts/1234567/query");
    assertThat(request.getUrl().queryParameterNames()).containsExactly("nrql");
    assertThat(request.getUrl().queryParameter("nrql"))
        .isEqualTo(QUERY + " SINCE 1796515140000 UNTIL 1796515200000 TIMESERIES 2 seconds");
    assertThat(request.getHeaders().get("X-Query-Key")).isEqualTo("NRIQ-key");
  }

  @Test
  void aRangeStepIsRoundedUpToWholeSecondsAndBucketsAreSortedByTime() throws Exception {
    api.reply(
        200,
        "{\"timeSeries\":[{\"results\":[{\"result\":2}],\"beginTimeSeconds\":20},"
            + "{\"results\":[{\"result\":1}],\"beginTimeSeconds\":10}]}");
    RangeWindow window =
        new RangeWindow(WINDOW.end().minusSeconds(45), WINDOW.end(), Duration.ofMillis(1500));
    assertThat(provider("1m").runRangeQuery("SELECT count(*) FROM Transaction", window))
        .containsExactly(1.0, 2.0);
    assertThat(api.take().getUrl().queryParameter("nrql"))
        .endsWith(" UNTIL 1796515200000 TIMESERIES 2 seconds");
  }

  @Test
  void aRangeQueryWithoutBucketsIsEmptyAndOneOfSeveralFacetsFails() throws Exception {
    api.replyFile(200, "no-results.json");
    assertThat(provider("1m").runRangeQuery(QUERY, WINDOW)).isEmpty();
    api.replyFile(200, "facets-timeseries.json");
    assertThatThrownBy(() -> provider("1m").runRangeQuery(QUERY + " FACET podName", WINDOW))
        .isInstanceOf(MultipleValuesException.class)
        .hasMessage("range query returned 2 series, expected one");
    api.replyFile(401, "unauthorized.json");
    assertThatThrownBy(() -> provider("1m").runRangeQuery(QUERY, WINDOW))
        .hasMessageStartingWith("error response: Status 401 Unauthorized: ")
        .hasMessageEndingWith(
            "(check newrelic_query_key and newrelic_account_id in Secret newrelic)");
  }
}
