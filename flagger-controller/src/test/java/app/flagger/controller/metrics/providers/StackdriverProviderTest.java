package app.flagger.controller.metrics.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.controller.support.CloudMonitoringStub;
import app.flagger.controller.support.RegistryReader;
import app.flagger.controller.support.TestFactories;
import app.flagger.model.common.SecretReference;
import app.flagger.model.http.BoundedBody;
import app.flagger.model.metric.MetricTemplateProvider;
import app.flagger.model.metrics.FlaggerMetrics;
import app.flagger.model.metrics.FlaggerMetrics.CallTarget;
import io.helidon.metrics.api.MeterRegistry;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StackdriverProviderTest {
  private static final String SECRET = "gcp-monitoring";
  private static final String QUERY =
      """
      fetch k8s_container
      | metric 'istio.io/service/server/response_latencies'
      | filter (metric.destination_service_name == 'podinfo-canary')
      | align delta(1m)
      | every 1m
      | group_by [], [value_response_latencies_percentile: percentile(value.response_latencies, 99)]
      """;

  private CloudMonitoringStub stub;
  private final ProviderFactory factory = TestFactories.providers();

  @BeforeEach
  void start() throws Exception {
    stub = new CloudMonitoringStub();
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  private MetricTemplateProvider spec(String address) {
    return new MetricTemplateProvider(
        "stackdriver", address, null, new SecretReference(SECRET), null, null);
  }

  private Map<String, String> secret() {
    return Map.of("project", "my-project", "serviceAccountKey", stub.serviceAccountKey());
  }

  private MetricsProvider provider() throws MetricsProviderException {
    return factory.provider(spec(stub.address()), secret(), null);
  }

  private void answer(int code, String resource) {
    stub.answer = q -> CloudMonitoringStub.json(code, resource);
  }

  private static JsonObject claims(String jwt) {
    String payload = jwt.split("\\.")[1];
    String json = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
    return Json.createReader(new StringReader(json)).readObject();
  }

  @Test
  void postsTheQueryWithTheServiceAccountsTokenAndReadsTheFirstSeriesFirstPoint() throws Exception {
    assertThat(provider().runQuery(QUERY)).isEqualTo(12.5);

    assertThat(stub.queries).hasSize(1);
    RecordedRequest request = stub.queries.get(0);
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath())
        .isEqualTo("/v3/projects/my-project/timeSeries:query");
    assertThat(Json.createReader(new StringReader(request.getBody().utf8())).readObject())
        .isEqualTo(Json.createObjectBuilder().add("query", QUERY).build());
    assertThat(request.getHeaders().get("Authorization"))
        .isEqualTo("Bearer " + CloudMonitoringStub.TOKEN);
    assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");

    // the token came from the key's token_uri, for the monitoring.read scope
    assertThat(stub.tokenRequests).hasSize(1);
    RecordedRequest token = stub.tokenRequests.get(0);
    HttpUrl form = HttpUrl.get("http://form/?" + token.getBody().utf8());
    assertThat(form.queryParameter("grant_type"))
        .isEqualTo("urn:ietf:params:oauth:grant-type:jwt-bearer");
    JsonObject claims = claims(form.queryParameter("assertion"));
    assertThat(claims.getString("scope")).isEqualTo(StackdriverProvider.SCOPE);
    assertThat(claims.getString("iss")).isEqualTo("flagger@my-project.iam.gserviceaccount.com");
  }

  @Test
  void oneProviderReusesItsTokenUntilItExpires() throws Exception {
    MetricsProvider provider = provider();
    provider.runQuery(QUERY);
    provider.runQuery(QUERY);
    assertThat(stub.queries).hasSize(2);
    assertThat(stub.tokenRequests).hasSize(1);
  }

  @Test
  void keepsThePathPrefixOfTheAddressAndSendsTheTemplatesHeaders() throws Exception {
    MetricTemplateProvider spec =
        new MetricTemplateProvider(
            "stackdriver",
            stub.server.url("/monitoring/").toString(),
            Map.of("x-goog-user-project", List.of("billing-project")),
            new SecretReference(SECRET),
            null,
            null);
    factory.provider(spec, secret(), null).runQuery("fetch gce_instance");
    RecordedRequest request = stub.queries.get(0);
    assertThat(request.getUrl().encodedPath())
        .isEqualTo("/monitoring/v3/projects/my-project/timeSeries:query");
    assertThat(request.getHeaders().get("x-goog-user-project")).isEqualTo("billing-project");
  }

  @Test
  void readsAnInt64Count() throws Exception {
    answer(200, "int64.json");
    assertThat(provider().runQuery(QUERY)).isEqualTo(42);
  }

  @Test
  void noSeriesNoPointOrNaNIsNoValuesFound() throws Exception {
    for (String resource : List.of("empty.json", "no-points.json", "nan.json")) {
      answer(200, resource);
      assertThatThrownBy(() -> provider().runQuery(QUERY))
          .as(resource)
          .isInstanceOf(NoValuesFoundException.class);
    }
  }

  @Test
  void aRefusedTokenNamesTheSecretKeyWorkloadIdentityAndTheRole() throws Exception {
    answer(403, "permission-denied.json");
    assertThatThrownBy(() -> provider().runQuery(QUERY))
        .isInstanceOf(MetricsProviderException.class)
        .isNotInstanceOf(NoValuesFoundException.class)
        .hasMessageStartingWith(
            "error requesting stackdriver: 403 Forbidden: PERMISSION_DENIED: Permission"
                + " monitoring.timeSeries.list denied")
        .hasMessageContaining("the key serviceAccountKey of Secret gcp-monitoring")
        .hasMessageContaining("Workload Identity")
        .hasMessageContaining("roles/monitoring.viewer on project my-project");

    answer(401, "unauthenticated.json");
    assertThatThrownBy(() -> provider().runQuery(QUERY))
        .hasMessageStartingWith("error requesting stackdriver: 401 Unauthorized: UNAUTHENTICATED")
        .hasMessageContaining("serviceAccountKey")
        .hasMessageContaining("roles/monitoring.viewer");
  }

  @Test
  void rateLimitsAndServerErrorsFailTheCheckInGooglesWords() throws Exception {
    answer(429, "rate-limited.json");
    assertThatThrownBy(() -> provider().runQuery(QUERY))
        .isInstanceOf(MetricsProviderException.class)
        .isNotInstanceOf(NoValuesFoundException.class)
        .hasMessageStartingWith(
            "error requesting stackdriver: 429 Too Many Requests: RESOURCE_EXHAUSTED: Quota"
                + " exceeded")
        .hasMessageNotContaining("serviceAccountKey");

    answer(503, "unavailable.json");
    assertThatThrownBy(() -> provider().runQuery(QUERY))
        .hasMessage(
            "error requesting stackdriver: 503 Service Unavailable: UNAVAILABLE: The service is"
                + " currently unavailable.");

    stub.answer =
        q -> new MockResponse.Builder().code(502).body("<html>bad gateway</html>").build();
    assertThatThrownBy(() -> provider().runQuery(QUERY))
        .hasMessage("error requesting stackdriver: 502 Bad Gateway: <html>bad gateway</html>");
  }

  @Test
  void garbageIsAnError() throws Exception {
    stub.answer = q -> new MockResponse.Builder().code(200).body("<html>").build();
    assertThatThrownBy(() -> provider().runQuery(QUERY))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessageStartingWith("error unmarshaling result:");
  }

  @Test
  void aStringValueIsNotANumber() {
    assertThatThrownBy(
            () ->
                StackdriverProvider.value(
                    "{\"timeSeriesData\":[{\"pointData\":[{\"values\":[{\"stringValue\":\"x\"}]}]}]}"))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessage("the first point's value is not a number: {\"stringValue\":\"x\"}");
  }

  @Test
  void isOnlineSendsAnEmptyQueryAndTakesInvalidArgumentAsOnline() throws Exception {
    answer(400, "invalid-argument.json");
    assertThat(provider().isOnline()).isTrue();
    assertThat(CloudMonitoringStub.query(stub.queries.get(0))).isEmpty();
  }

  @Test
  void isOnlineFailsWhenTheCredentialsAreRefused() throws Exception {
    answer(403, "permission-denied.json");
    assertThatThrownBy(() -> provider().isOnline())
        .isInstanceOf(MetricsProviderException.class)
        .hasMessageStartingWith("unexpected status code: 403 Forbidden: PERMISSION_DENIED")
        .hasMessageContaining("roles/monitoring.viewer");
  }

  @Test
  void aSecretWithoutProjectOrWithoutSecretRefIsAConstructionError() {
    assertThatThrownBy(
            () ->
                factory.provider(
                    spec(null), Map.of("serviceAccountKey", stub.serviceAccountKey()), null))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessage(
            "stackdriver credentials does not contain a project id: set the key project in Secret"
                + " gcp-monitoring");
    assertThatThrownBy(
            () ->
                factory.provider(
                    new MetricTemplateProvider("stackdriver", null, null, null, null, null),
                    Map.of(),
                    null))
        .hasMessageContaining("does not contain a project id");
    assertThatThrownBy(
            () -> factory.provider(spec(null), Map.of("project", "My Project/../x"), null))
        .hasMessageContaining("is not a Google Cloud project id");
  }

  @Test
  void anUnreadableServiceAccountKeyNamesTheSecretKey() {
    assertThatThrownBy(
            () ->
                factory.provider(
                    spec(null), Map.of("project", "p1", "serviceAccountKey", "{not json"), null))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessageStartingWith("stackdriver credentials could not be read:")
        .hasMessageContaining("the key serviceAccountKey of Secret gcp-monitoring");
  }

  @Test
  void aFailedTokenRequestFailsTheCheckNamingTheCredentials() {
    StackdriverProvider provider =
        new StackdriverProvider(
            URI.create(stub.address()),
            "p1",
            SECRET,
            () -> {
              throw new IOException("Error getting access token for service account: 400");
            },
            Map.of(),
            Duration.ofSeconds(5),
            BoundedBody.DEFAULT_LIMIT);
    assertThatThrownBy(() -> provider.runQuery(QUERY))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessageStartingWith(
            "error getting a Google access token: Error getting access token for service account:"
                + " 400; check the key serviceAccountKey of Secret gcp-monitoring")
        .hasMessageContaining("roles/monitoring.viewer");
    assertThat(stub.queries).isEmpty();
  }

  @Test
  void aSlowApiTimesOut() throws Exception {
    stub.answer =
        q -> CloudMonitoringStub.value(1).newBuilder().headersDelay(10, TimeUnit.SECONDS).build();
    MetricsProvider slow =
        TestFactories.providers(Duration.ofMillis(300))
            .provider(spec(stub.address()), secret(), Duration.ofSeconds(60));
    long start = System.nanoTime();
    assertThatThrownBy(() -> slow.runQuery(QUERY))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessageStartingWith("error requesting stackdriver:");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(9));
  }

  @Test
  void everyCallIsCountedAsAMetricsProviderCall() throws Exception {
    MeterRegistry registry = MeterRegistry.create();
    ControllerMetrics metrics = new ControllerMetrics(registry);
    // after the meters exist: a registry shares them with the earlier tests' registries
    RegistryReader reader = new RegistryReader(registry);
    ProviderFactory metered =
        new ProviderFactory(ProviderFactory.DEFAULT_TIMEOUT, metrics, BoundedBody.DEFAULT_LIMIT);
    MetricsProvider provider = metered.provider(spec(stub.address()), secret(), null);
    provider.runQuery(QUERY);
    answer(503, "unavailable.json");
    assertThatThrownBy(() -> provider.runQuery(QUERY)).isInstanceOf(MetricsProviderException.class);
    assertThat(provider).isInstanceOf(MeteredProvider.class);
    assertThat(((MeteredProvider) provider).delegate()).isInstanceOf(StackdriverProvider.class);
    assertThat(reader.calls(CallTarget.METRICS_PROVIDER, FlaggerMetrics.OUTCOME_SUCCESS))
        .isEqualTo(1);
    assertThat(reader.calls(CallTarget.METRICS_PROVIDER, FlaggerMetrics.OUTCOME_ERROR))
        .isEqualTo(1);
  }

  @Test
  void aRangeQueryPostsTheQueryAsWrittenAndReadsTheSeriesOldestFirstWithNaNKept() throws Exception {
    answer(200, "range.json");
    String mql = QUERY + "| within 1m\n";
    MetricsProvider provider = provider();

    assertThat(provider.supportsRangeQueries()).isTrue();
    assertThat(provider.runRangeQuery(mql, VendorApi.LAST_MINUTE))
        .containsExactly(98, Double.NaN, 103.5);
    RecordedRequest request = stub.queries.get(0);
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath())
        .isEqualTo("/v3/projects/my-project/timeSeries:query");
    assertThat(Json.createReader(new StringReader(request.getBody().utf8())).readObject())
        .isEqualTo(Json.createObjectBuilder().add("query", mql).build());
    assertThat(request.getHeaders().get("Authorization"))
        .isEqualTo("Bearer " + CloudMonitoringStub.TOKEN);
  }

  @Test
  void aRangeQueryWithoutSeriesOrPointsIsEmptyAndSeveralSeriesOrAnErrorFail() throws Exception {
    answer(200, "empty.json");
    assertThat(provider().runRangeQuery(QUERY, VendorApi.LAST_MINUTE)).isEmpty();
    answer(200, "no-points.json");
    assertThat(provider().runRangeQuery(QUERY, VendorApi.LAST_MINUTE)).isEmpty();
    answer(200, "query.json");
    assertThatThrownBy(() -> provider().runRangeQuery(QUERY, VendorApi.LAST_MINUTE))
        .isInstanceOf(MultipleValuesException.class)
        .hasMessage("range query returned 2 series, expected one");
    answer(503, "unavailable.json");
    assertThatThrownBy(() -> provider().runRangeQuery(QUERY, VendorApi.LAST_MINUTE))
        .hasMessage(
            "error requesting stackdriver: 503 Service Unavailable: UNAVAILABLE: The service is"
                + " currently unavailable.");
  }
}
