package app.flagger.controller.metrics.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.support.GeneratedBody;
import app.flagger.controller.support.TestFactories;
import app.flagger.model.common.SecretReference;
import app.flagger.model.metric.MetricTemplateProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PrometheusProviderTest {
  private static final String VECTOR =
      """
      {"status":"success","data":{"resultType":"vector","result":[
        {"metric":{"pod":"a"},"value":[1700000000.1,"100"]},
        {"metric":{"pod":"b"},"value":[1700000000.1,"98.5"]}]}}""";

  private MockWebServer server;
  private final ProviderFactory factory = TestFactories.providers();

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private MetricsProvider provider() throws MetricsProviderException {
    return factory.prometheus(server.url("/").toString(), Duration.ofSeconds(5));
  }

  private void reply(int code, String body) {
    server.enqueue(new MockResponse.Builder().code(code).body(body).build());
  }

  @Test
  void readsTheLastVectorElementAndSendsTheCollapsedQuery() throws Exception {
    reply(200, VECTOR);
    double value = provider().runQuery(" sum(rate(x{a=\"b\"}[1m]))\n   /\n  2 ");
    assertThat(value).isEqualTo(98.5);
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v1/query");
    assertThat(request.getUrl().queryParameter("query"))
        .isEqualTo(" sum(rate(x{a=\"b\"}[1m])) / 2 ");
    assertThat(request.getHeaders().get("Authorization")).isNull();
  }

  @Test
  void keepsThePathPrefixOfTheAddress() throws Exception {
    reply(200, VECTOR);
    factory.prometheus(server.url("/prometheus").toString(), null).runQuery("up");
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getUrl().encodedPath())
        .isEqualTo("/prometheus/api/v1/query");
  }

  @Test
  void readsAScalar() throws Exception {
    reply(
        200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1.5,\"1\"]}}");
    assertThat(provider().isOnline()).isTrue();
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getUrl().queryParameter("query"))
        .isEqualTo("vector(1)");
  }

  @Test
  void emptyResultIsNoValuesFound() throws Exception {
    reply(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
    assertThatThrownBy(() -> provider().runQuery("q"))
        .isInstanceOf(NoValuesFoundException.class)
        .hasMessage("no values found");
  }

  @Test
  void nanIsNoValuesFound() throws Exception {
    reply(
        200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"NaN\"]}]}}");
    assertThatThrownBy(() -> provider().runQuery("q")).isInstanceOf(NoValuesFoundException.class);
  }

  @Test
  void matrixIsMultipleValues() throws Exception {
    reply(
        200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[[1,\"1\"],[2,\"2\"]]}]}}");
    assertThatThrownBy(() -> provider().runQuery("q"))
        .isInstanceOf(MultipleValuesException.class)
        .hasMessage("query returned multiple values");
  }

  private static final RangeWindow WINDOW =
      RangeWindow.ending(Instant.parse("2026-12-06T05:00:00Z"), Duration.ofMinutes(1));

  @Test
  void aRangeQueryReadsTheSeriesOfAMatrixInTimeOrder() throws Exception {
    reply(
        200,
        """
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{},"values":[[1,"0.1"],[3,"NaN"],[5,"0.3"]]}]}}""");
    MetricsProvider provider = provider();
    assertThat(provider.supportsRangeQueries()).isTrue();
    double[] values = provider.runRangeQuery(" sum(rate(x[1m]))\n  ", WINDOW);
    assertThat(values).containsExactly(0.1, Double.NaN, 0.3);
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v1/query_range");
    assertThat(request.getUrl().queryParameter("query")).isEqualTo(" sum(rate(x[1m])) ");
    assertThat(request.getUrl().queryParameter("start")).isEqualTo("1796533140.000");
    assertThat(request.getUrl().queryParameter("end")).isEqualTo("1796533200.000");
    assertThat(request.getUrl().queryParameter("step")).isEqualTo("2");
  }

  @Test
  void aRangeQueryWithAnEmptyResultHasNoValues() throws Exception {
    reply(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");
    assertThat(provider().runRangeQuery("q", WINDOW)).isEmpty();
  }

  @Test
  void aRangeQueryWithSeveralSeriesIsMultipleValues() throws Exception {
    reply(
        200,
        """
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"pod":"a"},"values":[[1,"1"]]},
          {"metric":{"pod":"b"},"values":[[1,"2"]]}]}}""");
    assertThatThrownBy(() -> provider().runRangeQuery("q", WINDOW))
        .isInstanceOf(MultipleValuesException.class)
        .hasMessage("range query returned 2 series, expected one");
  }

  @Test
  void aRangeQueryErrorCarriesStatusAndBody() throws Exception {
    reply(400, "{\"status\":\"error\",\"error\":\"bad step\"}");
    assertThatThrownBy(() -> provider().runRangeQuery("q", WINDOW))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessage(
            "error response: Status 400 Bad Request: {\"status\":\"error\",\"error\":\"bad step\"}");
  }

  @Test
  void aShortWindowStepsByOneSecondAtLeast() {
    RangeWindow w = RangeWindow.ending(Instant.EPOCH.plusSeconds(60), Duration.ofSeconds(10));
    assertThat(w.step()).isEqualTo(Duration.ofSeconds(1));
    assertThat(w.start()).isEqualTo(Instant.EPOCH.plusSeconds(50));
  }

  @Test
  void clientAndServerErrorsCarryStatusAndBody() throws Exception {
    reply(400, "{\"status\":\"error\",\"error\":\"parse error\"}");
    assertThatThrownBy(() -> provider().runQuery("q"))
        .isInstanceOf(MetricsProviderException.class)
        .isNotInstanceOf(NoValuesFoundException.class)
        .hasMessage(
            "error response: Status 400 Bad Request: {\"status\":\"error\",\"error\":\"parse error\"}");
    reply(503, "down");
    assertThatThrownBy(() -> provider().runQuery("q"))
        .hasMessage("error response: Status 503 Service Unavailable: down");
  }

  @Test
  void anAnswerAtTheResponseLimitIsRead() throws Exception {
    reply(200, VECTOR);
    MetricsProvider limited =
        new ProviderFactory(Duration.ofSeconds(5), TestFactories.metrics(), VECTOR.length())
            .prometheus(server.url("/").toString(), null);
    assertThat(limited.runQuery("q")).isEqualTo(98.5);
  }

  @Test
  void anAnswerOneByteOverTheResponseLimitFailsTheQuery() throws Exception {
    reply(200, VECTOR + " ");
    MetricsProvider limited =
        new ProviderFactory(Duration.ofSeconds(5), TestFactories.metrics(), VECTOR.length())
            .prometheus(server.url("/").toString(), null);
    assertThatThrownBy(() -> limited.runQuery("q"))
        .isInstanceOf(MetricsProviderException.class)
        .isNotInstanceOf(NoValuesFoundException.class)
        .hasMessage(
            "request failed: response body from "
                + server.url("/api/v1/query")
                + " exceeds "
                + VECTOR.length()
                + " bytes");
  }

  @Test
  void aChunkedAnswerOverTheDefaultLimitFailsTheQuery() throws Exception {
    GeneratedBody body = GeneratedBody.chunked(300L * 1024 * 1024);
    server.enqueue(body.response(200));
    assertThatThrownBy(() -> provider().runQuery("q"))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessageEndingWith("exceeds 1048576 bytes");
    await().atMost(Duration.ofSeconds(30)).until(body::finished);
    assertThat(body.written()).isLessThan(100L * 1024 * 1024);
  }

  @Test
  void garbageIsAnError() throws Exception {
    reply(200, "<html>");
    assertThatThrownBy(() -> provider().runQuery("q"))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessageStartingWith("error unmarshaling result:");
  }

  @Test
  void aSlowServerTimesOut() throws Exception {
    server.enqueue(
        new MockResponse.Builder().body(VECTOR).headersDelay(10, TimeUnit.SECONDS).build());
    MetricsProvider slow =
        TestFactories.providers(Duration.ofMillis(300))
            .prometheus(server.url("/").toString(), Duration.ofSeconds(60));
    long start = System.nanoTime();
    assertThatThrownBy(() -> slow.runQuery("q"))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessageStartingWith("request failed:");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(9));
  }

  @Test
  void aServerThatIsDownFailsTheQuery() throws Exception {
    String address = server.url("/").toString();
    server.close();
    assertThatThrownBy(() -> factory.prometheus(address, null).runQuery("q"))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessageStartingWith("request failed:");
  }

  @Test
  void bearerTokenFromTheSecret() throws Exception {
    reply(200, VECTOR);
    MetricTemplateProvider spec =
        new MetricTemplateProvider(
            "prometheus",
            null,
            Map.of("X-Scope-OrgID", List.of("tenant-1")),
            new SecretReference("prom"),
            null,
            null);
    factory
        .provider(spec, Map.of("address", server.url("/").toString(), "token", "s3cr3t"), null)
        .runQuery("q");
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer s3cr3t");
    assertThat(request.getHeaders().get("X-Scope-OrgID")).isEqualTo("tenant-1");
  }

  @Test
  void basicAuthFromTheSecret() throws Exception {
    reply(200, VECTOR);
    MetricTemplateProvider spec =
        new MetricTemplateProvider(
            "prometheus",
            server.url("/").toString(),
            null,
            new SecretReference("prom"),
            null,
            null);
    factory.provider(spec, Map.of("username", "user", "password", "pass"), null).runQuery("q");
    String expected = "Basic " + Base64.getEncoder().encodeToString("user:pass".getBytes());
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization"))
        .isEqualTo(expected);
  }

  @Test
  void incompleteCredentialsAreConstructionErrors() {
    MetricTemplateProvider spec =
        new MetricTemplateProvider(
            "prometheus", "http://prom:9090", null, new SecretReference("s"), null, null);
    assertThatThrownBy(() -> factory.provider(spec, Map.of(), null))
        .hasMessage("prometheus credentials does not contain either token or username");
    assertThatThrownBy(() -> factory.provider(spec, Map.of("username", "u"), null))
        .hasMessage("prometheus credentials does not contain password");
  }

  @Test
  void invalidAddressIsAConstructionError() {
    MetricTemplateProvider spec =
        new MetricTemplateProvider("prometheus", "not a url", null, null, null, null);
    assertThatThrownBy(() -> factory.provider(spec, Map.of(), null))
        .hasMessage("prometheus address not a url is not a valid URL");
  }
}
