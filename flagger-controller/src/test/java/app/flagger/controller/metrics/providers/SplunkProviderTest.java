package app.flagger.controller.metrics.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.support.TestFactories;
import app.flagger.model.common.SecretReference;
import app.flagger.model.http.BoundedBody;
import app.flagger.model.metric.MetricTemplateProvider;
import java.io.IOException;
import java.io.InputStream;
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

class SplunkProviderTest {
  private static final Map<String, String> SECRET = Map.of("sf_token_key", "sf-t0ken");
  private static final Instant NOW = Instant.ofEpochMilli(1_700_000_000_000L);
  private static final String PROGRAM =
      "data('service.request.count', filter=filter('service.name', 'myservice')).sum().publish()";

  private final MockWebServer server = new MockWebServer();
  private final ProviderFactory factory =
      new ProviderFactory(
          ProviderFactory.DEFAULT_TIMEOUT,
          TestFactories.metrics(),
          BoundedBody.DEFAULT_LIMIT,
          Clock.fixed(NOW, ZoneOffset.UTC));

  SplunkProviderTest() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static String resource(String name) {
    try (InputStream in = SplunkProviderTest.class.getResourceAsStream("/metrics/splunk/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static MetricTemplateProvider spec(String address) {
    return new MetricTemplateProvider(
        "splunk",
        address,
        Map.of("X-Team", List.of("payments")),
        new SecretReference("splunk"),
        null,
        null);
  }

  private MetricsProvider provider(String interval) throws MetricsProviderException {
    return factory.provider(spec(server.url("/").toString()), SECRET, interval, null);
  }

  private void replyStream(String resource) {
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "text/event-stream")
            .body(resource(resource))
            .build());
  }

  private void reply(int code, String body) {
    server.enqueue(new MockResponse.Builder().code(code).body(body).build());
  }

  @Test
  void executesTheProgramOverTenMetricIntervalsAndTakesTheLastValue() throws Exception {
    replyStream("one-series.sse");
    assertThat(provider("1m").runQuery(PROGRAM)).isEqualTo(2.5);
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v2/signalflow/execute");
    assertThat(request.getUrl().queryParameter("start")).isEqualTo("1699999400000");
    assertThat(request.getUrl().queryParameter("stop")).isEqualTo("1700000000000");
    assertThat(request.getUrl().queryParameter("immediate")).isEqualTo("true");
    assertThat(request.getHeaders().get("X-SF-Token")).isEqualTo("sf-t0ken");
    assertThat(request.getHeaders().get("Content-Type")).isEqualTo("text/plain");
    assertThat(request.getHeaders().get("Accept")).isEqualTo("text/event-stream");
    assertThat(request.getHeaders().get("X-Team")).isEqualTo("payments");
    assertThat(request.getBody().utf8()).isEqualTo(PROGRAM);
  }

  @Test
  void theWindowFollowsTheMetricInterval() throws Exception {
    replyStream("one-series.sse");
    provider("30s").runQuery(PROGRAM);
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getUrl().queryParameter("start"))
        .isEqualTo("1699999700000");
  }

  @Test
  void addressesAreConvertedAsFlaggerDoes() {
    assertThat(SplunkProvider.streamAddress("https://api.us1.signalfx.com"))
        .isEqualTo("https://stream.us1.signalfx.com");
    assertThat(SplunkProvider.streamAddress("wss://stream.us1.signalfx.com"))
        .isEqualTo("https://stream.us1.signalfx.com");
    assertThat(SplunkProvider.apiAddress("https://api.us1.signalfx.com"))
        .isEqualTo("https://api.us1.signalfx.com");
    assertThat(SplunkProvider.apiAddress("wss://stream.us1.signalfx.com"))
        .isEqualTo("https://api.us1.signalfx.com");
  }

  @Test
  void severalTimeSeriesAreMultipleValues() throws Exception {
    replyStream("two-series.sse");
    assertThatThrownBy(() -> provider("1m").runQuery(PROGRAM))
        .isInstanceOf(MultipleValuesException.class);
  }

  @Test
  void onlyNullValuesAreNoValuesFound() throws Exception {
    replyStream("nulls.sse");
    assertThatThrownBy(() -> provider("1m").runQuery(PROGRAM))
        .isInstanceOf(NoValuesFoundException.class)
        .hasMessage("invalid response: no values found");
  }

  @Test
  void anErrorMessageInTheStreamFailsTheQuery() throws Exception {
    replyStream("error.sse");
    assertThatThrownBy(() -> provider("1m").runQuery(PROGRAM))
        .isInstanceOf(MetricsProviderException.class)
        .isNotInstanceOf(NoValuesFoundException.class)
        .hasMessage("error executing query: 400: Function 'dta' is not defined");
  }

  @Test
  void aRefusedTokenNamesTheSecretAndKey() throws Exception {
    reply(401, "{\"code\":401,\"message\":\"Unauthorized\"}");
    assertThatThrownBy(() -> provider("1m").runQuery(PROGRAM))
        .hasMessage(
            "error executing query: 401 Unauthorized: {\"code\":401,\"message\":\"Unauthorized\"}"
                + " (check key sf_token_key of Secret splunk)");
  }

  @Test
  void rateLimitsAndServerErrorsCarryTheProvidersWords() throws Exception {
    reply(429, "Too many concurrent computations");
    reply(502, "bad gateway");
    MetricsProvider provider = provider("1m");
    assertThatThrownBy(() -> provider.runQuery(PROGRAM))
        .hasMessage(
            "error executing query: 429 Too Many Requests: Too many concurrent computations");
    assertThatThrownBy(() -> provider.runQuery(PROGRAM))
        .hasMessage("error executing query: 502 Bad Gateway: bad gateway");
  }

  @Test
  void anUnreadableStreamIsAnInvalidResponse() throws Exception {
    reply(200, "event: data\ndata: {not json\n\n");
    assertThatThrownBy(() -> provider("1m").runQuery(PROGRAM))
        .hasMessageStartingWith("invalid response: ");
  }

  @Test
  void aSlowServerTimesOutWithinTheAnalysisInterval() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .body(resource("one-series.sse"))
            .headersDelay(10, TimeUnit.SECONDS)
            .build());
    MetricsProvider slow =
        factory.provider(spec(server.url("/").toString()), SECRET, "1m", Duration.ofMillis(300));
    long start = System.nanoTime();
    assertThatThrownBy(() -> slow.runQuery(PROGRAM))
        .hasMessageStartingWith("error executing query: request failed:");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(9));
  }

  @Test
  void isOnlineListsOneMetricWithTheToken() throws Exception {
    reply(200, resource("metric-limit-1.json"));
    assertThat(provider("1m").isOnline()).isTrue();
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v2/metric");
    assertThat(request.getUrl().queryParameter("limit")).isEqualTo("1");
    assertThat(request.getHeaders().get("X-SF-Token")).isEqualTo("sf-t0ken");
  }

  @Test
  void isOnlineFailsUnlessTheAnswerIs200() throws Exception {
    reply(401, "");
    assertThatThrownBy(() -> provider("1m").isOnline())
        .hasMessage("error response: 401 Unauthorized:  (check key sf_token_key of Secret splunk)");
  }

  @Test
  void constructionErrorsNameWhatIsMissing() {
    String address = server.url("/").toString();
    assertThatThrownBy(() -> factory.provider(spec(address), Map.of(), "1m", null))
        .hasMessage(
            "splunk credentials does not contain sf_token_key (key sf_token_key of Secret splunk)");
    assertThatThrownBy(() -> factory.provider(spec(""), SECRET, "1m", null))
        .hasMessage("splunk endpoint is not set");
    assertThatThrownBy(() -> factory.provider(spec(address), SECRET, "soon", null))
        .hasMessage("error parsing metric interval: time: invalid duration \"soon\"");
    assertThatThrownBy(() -> factory.provider(spec("api.us1.signalfx.com"), SECRET, "1m", null))
        .hasMessage("splunk address api.us1.signalfx.com is not a valid URL");
  }

  private static final RangeWindow WINDOW =
      new RangeWindow(NOW.minusSeconds(600), NOW, java.time.Duration.ofSeconds(20));

  @Test
  void aRangeQueryExecutesTheProgramOverTheWindowAtItsStepAndReadsTheSeriesWithNullsAsNaN()
      throws Exception {
    replyStream("one-series.sse");
    MetricsProvider provider = provider("1m");

    assertThat(provider.supportsRangeQueries()).isTrue();
    assertThat(provider.runRangeQuery(PROGRAM, WINDOW)).containsExactly(1.0, 2.5, Double.NaN);
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v2/signalflow/execute");
    assertThat(request.getUrl().queryParameterNames())
        .containsExactlyInAnyOrder("start", "stop", "resolution", "immediate");
    assertThat(request.getUrl().queryParameter("start")).isEqualTo("1699999400000");
    assertThat(request.getUrl().queryParameter("stop")).isEqualTo("1700000000000");
    assertThat(request.getUrl().queryParameter("resolution")).isEqualTo("20000");
    assertThat(request.getUrl().queryParameter("immediate")).isEqualTo("true");
    assertThat(request.getHeaders().get("X-SF-Token")).isEqualTo("sf-t0ken");
    assertThat(request.getBody().utf8()).isEqualTo(PROGRAM);
  }

  @Test
  void anInstantQuerySendsNoResolution() throws Exception {
    replyStream("one-series.sse");
    provider("1m").runQuery(PROGRAM);
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getUrl().queryParameterNames())
        .doesNotContain("resolution");
  }

  @Test
  void aRangeQueryOfSeveralTimeSeriesOrAnErrorFailsAndNoDataIsEmpty() throws Exception {
    replyStream("two-series.sse");
    assertThatThrownBy(() -> provider("1m").runRangeQuery(PROGRAM, WINDOW))
        .isInstanceOf(MultipleValuesException.class)
        .hasMessage("range query returned 2 series, expected one");
    replyStream("error.sse");
    assertThatThrownBy(() -> provider("1m").runRangeQuery(PROGRAM, WINDOW))
        .hasMessage("error executing query: 400: Function 'dta' is not defined");
    reply(200, "event: control-message\ndata: {\"event\": \"END_OF_CHANNEL\"}\n\n");
    assertThat(provider("1m").runRangeQuery(PROGRAM, WINDOW)).isEmpty();
  }
}
