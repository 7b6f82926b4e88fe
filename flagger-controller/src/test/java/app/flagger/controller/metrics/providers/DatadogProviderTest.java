package app.flagger.controller.metrics.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.support.TestFactories;
import app.flagger.model.common.SecretReference;
import app.flagger.model.http.BoundedBody;
import app.flagger.model.metric.MetricTemplateProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DatadogProviderTest {
  private static final Instant NOW = Instant.ofEpochSecond(1_700_000_600L);
  private static final Map<String, String> KEYS =
      Map.of("datadog_api_key", "api-123", "datadog_application_key", "app-456");
  private static final String KEYS_HINT =
      "check keys datadog_api_key, datadog_application_key of Secret datadog";

  private final MockWebServer server = started();
  private final ProviderFactory factory = factory(ProviderFactory.DEFAULT_TIMEOUT);

  @AfterEach
  void stop() {
    server.close();
  }

  private static MockWebServer started() {
    MockWebServer stub = new MockWebServer();
    try {
      stub.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return stub;
  }

  private static ProviderFactory factory(Duration timeout) {
    return new ProviderFactory(
        timeout,
        TestFactories.metrics(),
        BoundedBody.DEFAULT_LIMIT,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private MetricTemplateProvider spec(String address, Map<String, List<String>> headers) {
    return new MetricTemplateProvider(
        "datadog", address, headers, new SecretReference("datadog"), null, null);
  }

  private MetricsProvider provider() throws MetricsProviderException {
    return factory.provider(spec(server.url("/").toString(), null), KEYS, "1m", null);
  }

  static String body(String name) {
    try (InputStream in =
        DatadogProviderTest.class.getResourceAsStream("/metrics/datadog/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void reply(int code, String file) {
    server.enqueue(new MockResponse.Builder().code(code).body(body(file)).build());
  }

  private RecordedRequest request() throws InterruptedException {
    return server.takeRequest(5, TimeUnit.SECONDS);
  }

  private static void assertSentTheKeys(RecordedRequest request) {
    assertThat(request.getHeaders().values("DD-API-KEY")).containsExactly("api-123");
    assertThat(request.getHeaders().values("DD-APPLICATION-KEY")).containsExactly("app-456");
  }

  @Test
  void takesTheOldestPointOfTheFirstSeriesOverTenMetricIntervals() throws Exception {
    reply(200, "query.json");
    String query = "avg:istio.mesh.request.count{destination_workload:podinfo}";
    assertThat(provider().runQuery(query)).isEqualTo(12.5);
    RecordedRequest request = request();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v1/query");
    assertThat(request.getUrl().queryParameter("query")).isEqualTo(query);
    assertThat(request.getUrl().queryParameter("from")).isEqualTo("1700000000");
    assertThat(request.getUrl().queryParameter("to")).isEqualTo("1700000600");
    assertSentTheKeys(request);
  }

  @Test
  void theWindowFollowsTheMetricInterval() throws Exception {
    reply(200, "query.json");
    factory.provider(spec(server.url("/").toString(), null), KEYS, "30s", null).runQuery("q");
    var url = request().getUrl();
    assertThat(List.of(url.queryParameter("from"), url.queryParameter("to")))
        .containsExactly("1700000300", "1700000600");
  }

  @Test
  void anUnparsableMetricIntervalIsAConstructionError() {
    assertThatThrownBy(
            () -> factory.provider(spec(server.url("/").toString(), null), KEYS, "soon", null))
        .hasMessage("error parsing metric interval: time: invalid duration \"soon\"");
  }

  @Test
  void keepsThePathPrefixAndSendsTheTemplateHeadersWithoutLettingThemReplaceTheKeys()
      throws Exception {
    reply(200, "query.json");
    Map<String, List<String>> headers =
        Map.of("X-Proxy-Tenant", List.of("team-a"), "dd-api-key", List.of("not-this"));
    factory.provider(spec(server.url("/dd").toString(), headers), KEYS, "1m", null).runQuery("q");
    RecordedRequest request = request();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/dd/api/v1/query");
    assertThat(request.getHeaders().get("X-Proxy-Tenant")).isEqualTo("team-a");
    assertSentTheKeys(request);
  }

  @Test
  void isOnlineValidatesTheKeys() throws Exception {
    reply(200, "validate.json");
    assertThat(provider().isOnline()).isTrue();
    RecordedRequest request = request();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v1/validate");
    assertSentTheKeys(request);
  }

  @Test
  void refusedKeysNameTheSecretAndKeysToCheck() throws Exception {
    reply(403, "forbidden.json");
    assertThatThrownBy(() -> provider().isOnline())
        .isInstanceOf(MetricsProviderException.class)
        .hasMessage("error response: {\"errors\": [\"Forbidden\"]}\n: 403 Forbidden; " + KEYS_HINT);
    server.enqueue(new MockResponse.Builder().code(401).body("{}").build());
    assertThatThrownBy(() -> provider().runQuery("q"))
        .hasMessage("error response: {}: 401 Unauthorized; " + KEYS_HINT);
  }

  @Test
  void rateLimitsAndServerErrorsFailTheCheckWithDatadogsWords() throws Exception {
    reply(429, "rate-limited.json");
    assertThatThrownBy(() -> provider().runQuery("q"))
        .isInstanceOf(MetricsProviderException.class)
        .isNotInstanceOf(NoValuesFoundException.class)
        .hasMessageContaining("Rate limit of 100 requests")
        .hasMessageEndingWith(": 429 Too Many Requests");
    server.enqueue(new MockResponse.Builder().code(503).body("upstream down").build());
    assertThatThrownBy(() -> provider().runQuery("q"))
        .hasMessage("error response: upstream down: 503 Service Unavailable");
  }

  @Test
  void aLongErrorBodyIsCut() throws Exception {
    server.enqueue(new MockResponse.Builder().code(500).body("x".repeat(5000)).build());
    assertThatThrownBy(() -> provider().runQuery("q"))
        .hasMessage("error response: " + "x".repeat(1024) + "...: 500 Internal Server Error");
  }

  @Test
  void noSeriesNoPointOrANullValueIsNoValuesFound() throws Exception {
    for (String file : List.of("no-series.json", "no-points.json", "null-value.json")) {
      reply(200, file);
      assertThatThrownBy(() -> provider().runQuery("q"))
          .as(file)
          .isInstanceOf(NoValuesFoundException.class)
          .hasMessageStartingWith("invalid response: {")
          .hasMessageEndingWith(": no values found");
    }
  }

  @Test
  void garbageIsAnError() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("<html>").build());
    assertThatThrownBy(() -> provider().runQuery("q"))
        .isInstanceOf(MetricsProviderException.class)
        .isNotInstanceOf(NoValuesFoundException.class)
        .hasMessageStartingWith("error unmarshaling result:");
  }

  @Test
  void aMissingKeyNamesTheSecretAndKey() {
    assertThatThrownBy(
            () ->
                factory.provider(
                    spec(null, null), Map.of("datadog_api_key", "api-123"), "1m", null))
        .hasMessage(
            "datadog credentials does not contain datadog_application_key"
                + " (key datadog_application_key of Secret datadog)");
    MetricTemplateProvider noSecret =
        new MetricTemplateProvider("datadog", null, null, null, null, null);
    assertThatThrownBy(() -> factory.provider(noSecret, Map.of(), "1m", null))
        .hasMessage(
            "datadog credentials does not contain datadog_api_key"
                + " (key datadog_api_key of the template's spec.provider.secretRef (none is set))");
  }

  @Test
  void anInvalidAddressIsAConstructionError() {
    assertThatThrownBy(() -> factory.provider(spec("api.datadoghq.com", null), KEYS, "1m", null))
        .hasMessage("datadog address api.datadoghq.com is not a valid URL");
  }

  @Test
  void aSlowApiTimesOut() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .body(body("query.json"))
            .headersDelay(10, TimeUnit.SECONDS)
            .build());
    MetricsProvider slow =
        factory(Duration.ofMillis(300))
            .provider(spec(server.url("/").toString(), null), KEYS, "1m", Duration.ofMinutes(1));
    assertThatThrownBy(() -> slow.runQuery("q"))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessageStartingWith("request failed:");
  }

  @Test
  void anAnswerOverTheResponseLimitFailsTheQuery() throws Exception {
    reply(200, "query.json");
    MetricsProvider limited =
        new ProviderFactory(
                ProviderFactory.DEFAULT_TIMEOUT,
                TestFactories.metrics(),
                100,
                Clock.fixed(NOW, ZoneOffset.UTC))
            .provider(spec(server.url("/").toString(), null), KEYS, "1m", null);
    assertThatThrownBy(() -> limited.runQuery("q"))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessageEndingWith("exceeds 100 bytes");
  }

  @Test
  void callsAreMetered() throws Exception {
    assertThat(provider()).isInstanceOf(MeteredProvider.class);
    assertThat(((MeteredProvider) provider()).delegate()).isInstanceOf(DatadogProvider.class);
  }

  private static final RangeWindow WINDOW =
      new RangeWindow(NOW.minusSeconds(60), NOW, Duration.ofSeconds(2));

  @Test
  void aRangeQuerySendsTheWindowsEndsAndReadsThePointlistWithNullsAsNaN() throws Exception {
    reply(200, "range.json");
    String query = "avg:trace.http.request.duration{service:podinfo}.rollup(avg, 20)";
    MetricsProvider provider = provider();

    assertThat(provider.supportsRangeQueries()).isTrue();
    assertThat(provider.runRangeQuery(query, WINDOW))
        .containsExactly(0.101, Double.NaN, 0.099, 0.104);
    RecordedRequest request = request();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v1/query");
    assertThat(request.getUrl().queryParameterNames())
        .containsExactlyInAnyOrder("query", "from", "to");
    assertThat(request.getUrl().queryParameter("query")).isEqualTo(query);
    assertThat(request.getUrl().queryParameter("from")).isEqualTo("1700000540");
    assertThat(request.getUrl().queryParameter("to")).isEqualTo("1700000600");
    assertSentTheKeys(request);
  }

  @Test
  void aRangeQueryPutsPointsInTimeOrderAndReadsNoSeriesOrNoPointsAsAnEmptySample()
      throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .body("{\"series\":[{\"pointlist\":[[1700000580000,3.0],[1700000560000,2.0]]}]}")
            .build());
    assertThat(provider().runRangeQuery("q", WINDOW)).containsExactly(2.0, 3.0);
    reply(200, "no-series.json");
    assertThat(provider().runRangeQuery("q", WINDOW)).isEmpty();
    reply(200, "no-points.json");
    assertThat(provider().runRangeQuery("q", WINDOW)).isEmpty();
  }

  @Test
  void aRangeQueryOfSeveralSeriesOrARefusalFails() throws Exception {
    reply(200, "query.json");
    assertThatThrownBy(() -> provider().runRangeQuery("q", WINDOW))
        .isInstanceOf(MultipleValuesException.class)
        .hasMessage("range query returned 2 series, expected one");
    reply(403, "forbidden.json");
    assertThatThrownBy(() -> provider().runRangeQuery("q", WINDOW))
        .hasMessageStartingWith("error response: ")
        .hasMessageEndingWith(": 403 Forbidden; " + KEYS_HINT);
  }
}
