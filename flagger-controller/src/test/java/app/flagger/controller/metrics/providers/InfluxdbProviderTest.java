package app.flagger.controller.metrics.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.support.TestFactories;
import app.flagger.model.common.SecretReference;
import app.flagger.model.metric.MetricTemplateProvider;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InfluxdbProviderTest {
  private static final Map<String, String> SECRET = Map.of("token", "s3cr3t", "org", "my-org");

  private final MockWebServer server = new MockWebServer();
  private final ProviderFactory factory = TestFactories.providers();

  InfluxdbProviderTest() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static String resource(String name) {
    try (InputStream in =
        InfluxdbProviderTest.class.getResourceAsStream("/metrics/influxdb/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private MetricsProvider provider(Map<String, String> secret) throws MetricsProviderException {
    return factory.provider(spec(server.url("/").toString(), "influx"), secret, null);
  }

  private static MetricTemplateProvider spec(String address, String secretName) {
    return new MetricTemplateProvider(
        "influxdb",
        address,
        Map.of("X-Team", List.of("payments")),
        secretName == null ? null : new SecretReference(secretName),
        null,
        null);
  }

  private void reply(int code, String body) {
    server.enqueue(new MockResponse.Builder().code(code).body(body).build());
  }

  private void replyCsv(String resource) {
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "text/csv; charset=utf-8")
            .body(resource(resource))
            .build());
  }

  @Test
  void postsTheFluxQueryAndReadsTheFirstRecordsValue() throws Exception {
    replyCsv("double.csv");
    String flux = "from(bucket: \"metrics\") |> range(start: -1m) |> mean()";
    assertThat(provider(SECRET).runQuery(flux)).isEqualTo(15.43);
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v2/query");
    assertThat(request.getUrl().queryParameter("org")).isEqualTo("my-org");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Token s3cr3t");
    assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/json");
    assertThat(request.getHeaders().get("Accept")).isEqualTo("application/csv");
    assertThat(request.getHeaders().get("X-Team")).isEqualTo("payments");
    JsonObject body = Json.createReader(new StringReader(request.getBody().utf8())).readObject();
    assertThat(body.getString("query")).isEqualTo(flux);
    assertThat(body.getString("type")).isEqualTo("flux");
    assertThat(body.getJsonObject("dialect").getJsonArray("annotations").toString())
        .isEqualTo("[\"datatype\",\"group\",\"default\"]");
  }

  @Test
  void crlfLineEndingsAreRead() throws Exception {
    reply(200, resource("double.csv").replace("\n", "\r\n"));
    assertThat(provider(SECRET).runQuery("q")).isEqualTo(15.43);
  }

  @Test
  void keepsThePathPrefixOfTheAddress() throws Exception {
    replyCsv("double.csv");
    factory.provider(spec(server.url("/influx/").toString(), "influx"), SECRET, null).runQuery("q");
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getUrl().encodedPath())
        .isEqualTo("/influx/api/v2/query");
  }

  @Test
  void aLongValueIsANumber() throws Exception {
    replyCsv("long.csv");
    assertThat(provider(SECRET).runQuery("q")).isEqualTo(42);
  }

  @Test
  void noRecordReturnsZeroAsFlaggerDoes() throws Exception {
    replyCsv("empty.csv");
    assertThat(provider(SECRET).runQuery("q")).isZero();
  }

  @Test
  void anEmptyValueIsNoValuesFound() throws Exception {
    replyCsv("null-value.csv");
    assertThatThrownBy(() -> provider(SECRET).runQuery("q"))
        .isInstanceOf(NoValuesFoundException.class)
        .hasMessageStartingWith("invalid response: {result:_result table:0")
        .hasMessageEndingWith(": no values found");
  }

  @Test
  void nanIsNoValuesFound() throws Exception {
    reply(200, resource("double.csv").replace("15.43", "NaN"));
    assertThatThrownBy(() -> provider(SECRET).runQuery("q"))
        .isInstanceOf(NoValuesFoundException.class);
  }

  @Test
  void aStringValueIsAnInvalidResponse() throws Exception {
    reply(200, resource("double.csv").replace(",double,", ",string,").replace("15.43", "high"));
    assertThatThrownBy(() -> provider(SECRET).runQuery("q"))
        .isInstanceOf(MetricsProviderException.class)
        .isNotInstanceOf(NoValuesFoundException.class)
        .hasMessageStartingWith("invalid response: {")
        .hasMessageContaining("_value:high");
  }

  @Test
  void anErrorTableFailsTheQuery() throws Exception {
    replyCsv("error-table.csv");
    assertThatThrownBy(() -> provider(SECRET).runQuery("q"))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessage("query error: failed to execute query: bucket \"metrics\" not found");
  }

  @Test
  void refusedCredentialsNameTheSecretAndKeys() throws Exception {
    reply(401, resource("unauthorized.json"));
    assertThatThrownBy(() -> provider(SECRET).runQuery("q"))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessage(
            "error accessing influxdb query api: 401 Unauthorized: unauthorized access"
                + " (check keys token, org of Secret influx)");
  }

  @Test
  void rateLimitsAndServerErrorsCarryTheProvidersWords() throws Exception {
    reply(429, "{\"code\":\"too many requests\",\"message\":\"org exceeded query quota\"}");
    reply(503, "upstream connect error");
    MetricsProvider provider = provider(SECRET);
    assertThatThrownBy(() -> provider.runQuery("q"))
        .hasMessage(
            "error accessing influxdb query api: 429 Too Many Requests: org exceeded query quota");
    assertThatThrownBy(() -> provider.runQuery("q"))
        .hasMessage(
            "error accessing influxdb query api: 503 Service Unavailable: upstream connect error");
  }

  @Test
  void aSlowServerTimesOutWithinTheAnalysisInterval() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .body(resource("double.csv"))
            .headersDelay(10, TimeUnit.SECONDS)
            .build());
    MetricsProvider slow =
        factory.provider(
            spec(server.url("/").toString(), "influx"), SECRET, Duration.ofMillis(300));
    long start = System.nanoTime();
    assertThatThrownBy(() -> slow.runQuery("q"))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessageStartingWith("error accessing influxdb query api: request failed:");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(9));
  }

  @Test
  void flaggersTimeoutIsFifteenSeconds() {
    assertThat(ProviderFactory.timeout(null, InfluxdbProvider.TIMEOUT))
        .isEqualTo(Duration.ofSeconds(15));
    assertThat(ProviderFactory.timeout(Duration.ofSeconds(10), InfluxdbProvider.TIMEOUT))
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void missingSecretKeysAreConstructionErrors() {
    String address = server.url("/").toString();
    assertThatThrownBy(() -> factory.provider(spec(address, "influx"), Map.of("org", "o"), null))
        .hasMessage(
            "influxdb credentials does not contain an authentication token"
                + " (key token of Secret influx)");
    assertThatThrownBy(() -> factory.provider(spec(address, "influx"), Map.of("token", "t"), null))
        .hasMessage(
            "influxdb credentials does not contain an organisation (key org of Secret influx)");
  }

  @Test
  void withoutASecretNoTokenNorOrgIsSent() throws Exception {
    replyCsv("double.csv");
    factory.provider(spec(server.url("/").toString(), null), Map.of(), null).runQuery("q");
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request.getHeaders().get("Authorization")).isNull();
    assertThat(request.getUrl().queryParameter("org")).isNull();
  }

  @Test
  void isOnlineRunsFlaggersQueryOnTheDefaultBucket() throws Exception {
    replyCsv("empty.csv");
    assertThat(provider(SECRET).isOnline()).isTrue();
    JsonObject body =
        Json.createReader(
                new StringReader(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8()))
            .readObject();
    assertThat(body.getString("query")).isEqualTo("from(bucket: \"default\") |> range(start: -2h)");
  }

  @Test
  void isOnlineFailsOnAMissingDefaultBucket() throws Exception {
    reply(
        404,
        "{\"code\":\"not found\",\"message\":\"failed to initialize execute state: could not find bucket \\\"default\\\"\"}");
    assertThatThrownBy(() -> provider(SECRET).isOnline())
        .hasMessage(
            "error accessing influxdb query api: 404 Not Found: failed to initialize execute"
                + " state: could not find bucket \"default\"");
  }

  @Test
  void aServerThatIsDownFailsTheQuery() throws Exception {
    MetricsProvider provider = provider(SECRET);
    server.close();
    assertThatThrownBy(() -> provider.runQuery("q"))
        .hasMessageStartingWith("error accessing influxdb query api: request failed:");
  }

  @Test
  void aMissingOrInvalidAddressIsAConstructionError() {
    assertThatThrownBy(() -> factory.provider(spec(null, "influx"), SECRET, null))
        .hasMessage("influxdb address  is not a valid URL");
    assertThatThrownBy(() -> factory.provider(spec("influx:8086", "influx"), SECRET, null))
        .hasMessage("influxdb address influx:8086 is not a valid URL");
  }

  private static final RangeWindow WINDOW = VendorApi.LAST_MINUTE;

  @Test
  void aRangeQueryRunsTheFluxWithNowAtTheWindowsEndAndReadsEveryRecordInTimeOrder()
      throws Exception {
    replyCsv("range.csv");
    String flux =
        "from(bucket: \"metrics\") |> range(start: -1m) |> aggregateWindow(every: 20s, fn:"
            + " mean)";
    MetricsProvider provider = provider(SECRET);

    assertThat(provider.supportsRangeQueries()).isTrue();
    assertThat(provider.runRangeQuery(flux, WINDOW)).containsExactly(101.5, Double.NaN, 99.25);
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v2/query");
    assertThat(request.getUrl().queryParameter("org")).isEqualTo("my-org");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Token s3cr3t");
    JsonObject body = Json.createReader(new StringReader(request.getBody().utf8())).readObject();
    assertThat(body.getString("query")).isEqualTo(flux);
    assertThat(body.getString("now")).isEqualTo("2026-12-06T00:00:00Z");
    assertThat(body.getString("type")).isEqualTo("flux");
  }

  @Test
  void aRangeQueryWithoutRecordsIsEmptyAndSeveralTablesOrAnErrorFail() throws Exception {
    replyCsv("empty.csv");
    assertThat(provider(SECRET).runRangeQuery("q", WINDOW)).isEmpty();
    replyCsv("double.csv");
    assertThatThrownBy(() -> provider(SECRET).runRangeQuery("q", WINDOW))
        .isInstanceOf(MultipleValuesException.class)
        .hasMessage("range query returned 3 series, expected one");
    replyCsv("error-table.csv");
    assertThatThrownBy(() -> provider(SECRET).runRangeQuery("q", WINDOW))
        .hasMessage("query error: failed to execute query: bucket \"metrics\" not found");
  }

  @Test
  void anInstantQuerySendsNoNow() throws Exception {
    replyCsv("double.csv");
    provider(SECRET).runQuery("q");
    JsonObject body =
        Json.createReader(
                new StringReader(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8()))
            .readObject();
    assertThat(body).doesNotContainKey("now");
  }
}
