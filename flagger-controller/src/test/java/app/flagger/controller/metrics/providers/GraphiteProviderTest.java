package app.flagger.controller.metrics.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GraphiteProviderTest {
  private static final Map<String, String> SECRET =
      Map.of("username", "graphite-user", "password", "graphite-pass");

  private VendorApi api;

  @BeforeEach
  void start() throws Exception {
    api = new VendorApi("graphite");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private MetricsProvider provider() throws MetricsProviderException {
    return api.provider(api.spec(api.address("/"), null, null), Map.of(), "1m");
  }

  @Test
  void sendsTheRawParametersWithFormatJsonAndReadsTheLastValue() throws Exception {
    api.replyFile(200, "render.json");
    MetricsProvider provider =
        api.provider(api.spec(api.address("/"), "graphite-basic-auth", null), SECRET, "1m");
    assertThat(((MeteredProvider) provider).delegate()).isInstanceOf(GraphiteProvider.class);
    double value =
        provider.runQuery("target=sumSeries(\n  app.http.*.*.count\n)&from=-2min&until=now");
    assertThat(value).isEqualTo(100);
    RecordedRequest request = api.take();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/render");
    assertThat(request.getUrl().queryParameterNames())
        .containsExactlyInAnyOrder("format", "from", "target", "until");
    assertThat(request.getUrl().queryParameter("target"))
        .isEqualTo("sumSeries( app.http.*.*.count )");
    assertThat(request.getUrl().queryParameter("from")).isEqualTo("-2min");
    assertThat(request.getUrl().queryParameter("format")).isEqualTo("json");
    String basic =
        Base64.getEncoder()
            .encodeToString("graphite-user:graphite-pass".getBytes(StandardCharsets.UTF_8));
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Basic " + basic);
  }

  @Test
  void theLastNonNullDatapointOfAllTargetsIsTaken() throws Exception {
    api.replyFile(200, "two-targets.json");
    assertThat(provider().runQuery("target=stats.app.podinfo.*")).isEqualTo(42.5);
    api.reply(200, "[{\"target\":\"t\",\"datapoints\":[[\"7.5\",\"1621348400\"],[null,null]]}]");
    assertThat(provider().runQuery("target=t")).isEqualTo(7.5);
  }

  @Test
  void percentEncodedParametersAreDecodedOnceAndFormatIsAlwaysJson() throws Exception {
    api.replyFile(200, "render.json");
    api.provider(
            api.spec(api.address("/graphite/"), null, Map.of("X-Org", List.of("7"))),
            Map.of(),
            "1m")
        .runQuery("target=alias(a.b%2Cc,%27x%27)&format=png");
    RecordedRequest request = api.take();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/graphite/render");
    assertThat(request.getUrl().queryParameter("target")).isEqualTo("alias(a.b,c,'x')");
    assertThat(request.getUrl().queryParameterValues("format")).containsExactly("json");
    assertThat(request.getHeaders().get("X-Org")).isEqualTo("7");
    assertThat(request.getHeaders().get("Authorization")).isNull();
  }

  @Test
  void noTargetsOrOnlyNullsAreNoValuesFound() throws Exception {
    api.reply(200, "[]");
    assertThatThrownBy(() -> provider().runQuery("target=x"))
        .isInstanceOf(NoValuesFoundException.class)
        .hasMessage("no values found");
    api.replyFile(200, "nulls.json");
    assertThatThrownBy(() -> provider().runQuery("target=x"))
        .isInstanceOf(NoValuesFoundException.class);
  }

  @Test
  void malformedAnswersAreErrors() throws Exception {
    api.reply(200, "[");
    assertThatThrownBy(() -> provider().runQuery("target=x"))
        .isNotInstanceOf(NoValuesFoundException.class)
        .hasMessageStartingWith("error unmarshaling result:");
    api.reply(200, "[{\"target\":\"t\",\"datapoints\":[[1]]}]");
    assertThatThrownBy(() -> provider().runQuery("target=x"))
        .hasMessageStartingWith("error unmarshaling result: error unmarshaling data point: [1]");
    api.reply(200, "[{\"target\":\"t\",\"datapoints\":[[\"high\",1]]}]");
    assertThatThrownBy(() -> provider().runQuery("target=x"))
        .hasMessageStartingWith(
            "error unmarshaling result: strconv.ParseFloat: parsing \"high\": invalid syntax");
  }

  @Test
  void errorStatusesFailTheCheckAndUnauthorizedNamesTheSecret() throws Exception {
    api.reply(400, "bad target");
    assertThatThrownBy(() -> provider().runQuery("target=x"))
        .hasMessage("error response: Status 400 Bad Request: bad target");
    api.reply(500, "error");
    assertThatThrownBy(() -> provider().runQuery("target=x"))
        .hasMessage("error response: Status 500 Internal Server Error: error");
    api.reply(401, "who are you");
    MetricsProvider withSecret =
        api.provider(api.spec(api.address("/"), "graphite-basic-auth", null), SECRET, "1m");
    assertThatThrownBy(() -> withSecret.runQuery("target=x"))
        .hasMessage(
            "error response: Status 401 Unauthorized: who are you"
                + " (check username and password in Secret graphite-basic-auth)");
  }

  @Test
  void isOnlineAsksForTargetTestAndToleratesNoValues() throws Exception {
    api.reply(200, "[]");
    assertThat(provider().isOnline()).isTrue();
    RecordedRequest request = api.take();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/render");
    assertThat(request.getUrl().queryParameterNames())
        .containsExactlyInAnyOrder("format", "target");
    assertThat(request.getUrl().queryParameter("target")).isEqualTo("test");
    api.replyFile(200, "render.json");
    assertThat(provider().isOnline()).isTrue();
    api.reply(500, "error");
    assertThatThrownBy(() -> provider().isOnline())
        .hasMessage(
            "running query failed: error response: Status 500 Internal Server Error: error");
    api.reply(200, "[");
    assertThatThrownBy(() -> provider().isOnline())
        .hasMessageStartingWith("running query failed: error unmarshaling result:");
  }

  @Test
  void addressIsRequiredAndASecretNeedsUsernameAndPassword() {
    assertThatThrownBy(() -> api.provider(api.spec(null, null, null), Map.of(), "1m"))
        .hasMessage("graphite address  is not a valid URL");
    assertThatThrownBy(() -> api.provider(api.spec(":::", null, null), Map.of(), "1m"))
        .hasMessage("graphite address ::: is not a valid URL");
    var spec = api.spec(api.address("/"), "graphite-basic-auth", null);
    assertThatThrownBy(() -> api.provider(spec, Map.of("password", "p"), "1m"))
        .hasMessage(
            "graphite credentials does not contain a username (Secret graphite-basic-auth)");
    assertThatThrownBy(() -> api.provider(spec, Map.of("username", "u"), "1m"))
        .hasMessage(
            "graphite credentials does not contain a password (Secret graphite-basic-auth)");
  }

  @Test
  void theMetricIntervalIsNotParsed() throws Exception {
    api.replyFile(200, "render.json");
    assertThat(
            api.provider(api.spec(api.address("/"), null, null), Map.of(), "1min")
                .runQuery("target=x"))
        .isEqualTo(100);
  }

  private static final RangeWindow WINDOW =
      new RangeWindow(
          java.time.Instant.ofEpochSecond(1621348400),
          java.time.Instant.ofEpochSecond(1621348460),
          java.time.Duration.ofSeconds(2));

  @Test
  void aRangeQuerySetsFromAndUntilToTheWindowAndReadsTheDatapointsInTimeOrder() throws Exception {
    api.replyFile(200, "render.json");
    MetricsProvider provider =
        api.provider(api.spec(api.address("/"), "graphite-basic-auth", null), SECRET, "1m");

    assertThat(provider.supportsRangeQueries()).isTrue();
    assertThat(
            provider.runRangeQuery(
                "target=sumSeries(app.http.*.*.count)&from=-2min&until=now", WINDOW))
        .containsExactly(10, 75, 25, 100);
    RecordedRequest request = api.take();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/render");
    assertThat(request.getUrl().queryParameterNames())
        .containsExactlyInAnyOrder("format", "from", "target", "until");
    assertThat(request.getUrl().queryParameterValues("from")).containsExactly("1621348400");
    assertThat(request.getUrl().queryParameterValues("until")).containsExactly("1621348460");
    assertThat(request.getUrl().queryParameter("target"))
        .isEqualTo("sumSeries(app.http.*.*.count)");
    assertThat(request.getUrl().queryParameter("format")).isEqualTo("json");
    assertThat(request.getHeaders().get("Authorization")).startsWith("Basic ");
  }

  @Test
  void aRangeQueryReadsNullsAsNaNAndNoTargetAsAnEmptySample() throws Exception {
    api.replyFile(200, "nulls.json");
    assertThat(provider().runRangeQuery("target=stats.app.podinfo.requests", WINDOW))
        .containsExactly(Double.NaN, Double.NaN);
    api.reply(200, "[{\"target\":\"t\",\"datapoints\":[[2,1621348410],[\"1.5\",1621348400]]}]");
    assertThat(provider().runRangeQuery("target=t", WINDOW)).containsExactly(1.5, 2);
    api.reply(200, "[]");
    assertThat(provider().runRangeQuery("target=none", WINDOW)).isEmpty();
  }

  @Test
  void aRangeQueryOfSeveralTargetsOrAnErrorFails() throws Exception {
    api.replyFile(200, "two-targets.json");
    assertThatThrownBy(() -> provider().runRangeQuery("target=stats.app.podinfo.*", WINDOW))
        .isInstanceOf(MultipleValuesException.class)
        .hasMessage("range query returned 2 series, expected one");
    api.reply(500, "boom");
    assertThatThrownBy(() -> provider().runRangeQuery("target=t", WINDOW))
        .hasMessage("error response: Status 500 Internal Server Error: boom");
  }
}
