package app.flagger.controller.metrics.providers;

import static app.flagger.controller.support.CloudWatchStub.error;
import static app.flagger.controller.support.CloudWatchStub.ok;
import static app.flagger.controller.support.CloudWatchStub.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.support.CloudWatchStub;
import app.flagger.controller.support.TestFactories;
import app.flagger.model.http.BoundedBody;
import app.flagger.model.metric.MetricTemplateProvider;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class CloudWatchProviderTest {
  /** Flagger's documented CloudWatch query: the 5xx percentage of an ALB target group. */
  static final String QUERY =
      """
      [
          {
              "Id": "e1",
              "Expression": "m1 / m2",
              "Label": "Percentage of 5xx responses"
          },
          {
              "Id": "m1",
              "MetricStat": {
                  "Metric": {
                      "Namespace": "AWS/ApplicationELB",
                      "MetricName": "HTTPCode_Target_5XX_Count",
                      "Dimensions": [
                          {"Name": "TargetGroup", "Value": "targetgroup/podinfo-canary/3a1b"}
                      ]
                  },
                  "Period": 60,
                  "Stat": "Sum",
                  "Unit": "Count"
              },
              "ReturnData": false
          },
          {
              "id": "m2",
              "metricStat": {
                  "metric": {"namespace": "AWS/ApplicationELB", "metricName": "RequestCount"},
                  "period": 60,
                  "stat": "Sum"
              },
              "returnData": false
          }
      ]""";

  static final Instant NOW = Instant.ofEpochSecond(1_700_000_600);

  private CloudWatchStub stub;
  private ProviderFactory factory;

  @BeforeEach
  void start() throws Exception {
    stub = new CloudWatchStub();
    factory =
        new ProviderFactory(
            Duration.ofSeconds(5),
            TestFactories.metrics(),
            BoundedBody.DEFAULT_LIMIT,
            Clock.fixed(NOW, ZoneOffset.UTC),
            stub.clients());
  }

  @AfterEach
  void stop() throws Exception {
    stub.close();
  }

  private MetricsProvider provider(String interval) throws MetricsProviderException {
    return factory.provider(
        new MetricTemplateProvider("cloudwatch", null, null, null, "eu-west-1", null),
        Map.of(),
        interval,
        Duration.ofSeconds(30));
  }

  @Test
  void takesTheFirstValueOfTheFirstResultOverTheLastTenIntervals() throws Exception {
    stub.answer(ok(resource("get-metric-data.json")));

    assertThat(provider("1m").runQuery(QUERY)).isEqualTo(2.5);

    assertThat(stub.requests).hasSize(1);
    CloudWatchStub.Received request = stub.requests.getFirst();
    assertThat(request.path()).isEqualTo(CloudWatchStub.GET_METRIC_DATA);
    assertThat(request.headers().get("smithy-protocol")).containsExactly("rpc-v2-cbor");
    assertThat(request.headers().get("authorization").getFirst())
        .contains("Credential=AKIDTEST/")
        .contains("/eu-west-1/monitoring/aws4_request");
    JsonObject body = request.body();
    assertThat(body.getJsonNumber("StartTime").longValue())
        .isEqualTo(NOW.minusSeconds(600).getEpochSecond());
    assertThat(body.getJsonNumber("EndTime").longValue()).isEqualTo(NOW.getEpochSecond());
    assertThat(body.getInt("MaxDatapoints")).isEqualTo(20);
    var queries = body.getJsonArray("MetricDataQueries");
    assertThat(queries.stream().map(q -> q.asJsonObject().getString("Id")))
        .containsExactly("e1", "m1", "m2");
    assertThat(queries.getJsonObject(0).getString("Expression")).isEqualTo("m1 / m2");
    JsonObject stat = queries.getJsonObject(1).getJsonObject("MetricStat");
    assertThat(stat.getInt("Period")).isEqualTo(60);
    assertThat(stat.getString("Stat")).isEqualTo("Sum");
    assertThat(stat.getString("Unit")).isEqualTo("Count");
    assertThat(stat.getJsonObject("Metric").getString("MetricName"))
        .isEqualTo("HTTPCode_Target_5XX_Count");
    assertThat(
            stat.getJsonObject("Metric")
                .getJsonArray("Dimensions")
                .getJsonObject(0)
                .getString("Value"))
        .isEqualTo("targetgroup/podinfo-canary/3a1b");
    assertThat(queries.getJsonObject(1).getBoolean("ReturnData")).isFalse();
    assertThat(queries.getJsonObject(2).getJsonObject("MetricStat").getJsonObject("Metric"))
        .containsEntry("Namespace", Json.createValue("AWS/ApplicationELB"));
  }

  @Test
  void theWindowFollowsTheMetricInterval() throws Exception {
    stub.answer(ok(Json.createValue(1)));

    provider("30s").runQuery("[{\"Id\":\"e1\",\"Expression\":\"SUM(x)\"}]");

    JsonObject body = stub.requests.getFirst().body();
    assertThat(body.getJsonNumber("StartTime").longValue())
        .isEqualTo(NOW.minusSeconds(300).getEpochSecond());
  }

  @Test
  void aMalformedQueryFailsNamingWhatIsWrongWithoutCallingCloudWatch() throws Exception {
    MetricsProvider provider = provider("1m");
    assertThatThrownBy(() -> provider.runQuery("{\"Id\":\"e1\"}"))
        .hasMessage(
            "error unmarshaling query: expected a JSON array of MetricDataQuery objects, got an"
                + " object");
    assertThatThrownBy(() -> provider.runQuery("[{\"Id\": \"e1\""))
        .hasMessageStartingWith("error unmarshaling query: not JSON: ");
    assertThatThrownBy(
            () -> provider.runQuery("[{\"Id\":\"m1\",\"MetricStat\":{\"Period\":\"60s\"}}]"))
        .hasMessage(
            "error unmarshaling query: [0].MetricStat.Period: expected a whole number of seconds,"
                + " got the string \"60s\"");
    assertThatThrownBy(() -> provider.runQuery("[{\"Id\":\"e1\",\"Expresion\":\"m1\"}]"))
        .hasMessage(
            "error unmarshaling query: [0]: unknown field \"Expresion\", expected one of"
                + " [AccountId, Expression, Id, Label, MetricStat, Period, ReturnData]");
    assertThatThrownBy(
            () ->
                provider.runQuery(
                    "[{\"Id\":\"m1\",\"MetricStat\":{\"Metric\":{\"Dimensions\":[\"a\"]}}}]"))
        .hasMessage(
            "error unmarshaling query: [0].MetricStat.Metric.Dimensions[0]: expected an object,"
                + " got the string \"a\"");
    assertThat(stub.requests).isEmpty();
  }

  @Test
  void noResultOrNoDataPointIsNoValuesFound() throws Exception {
    MetricsProvider provider = provider("1m");
    stub.answer(ok(resource("no-results.json")));
    assertThatThrownBy(() -> provider.runQuery(QUERY))
        .isInstanceOf(NoValuesFoundException.class)
        .hasMessageStartingWith("invalid response: ")
        .hasMessageEndingWith(": no values found");
    stub.answer(ok(resource("empty-values.json")));
    assertThatThrownBy(() -> provider.runQuery(QUERY))
        .isInstanceOf(NoValuesFoundException.class)
        .hasMessageEndingWith(": no values found");
  }

  @Test
  void accessDeniedNamesThePermissionAndTheCredentials() throws Exception {
    stub.answer(error(403, resource("access-denied.json")));

    assertThatThrownBy(() -> provider("1m").runQuery(QUERY))
        .isInstanceOf(MetricsProviderException.class)
        .isNotInstanceOf(NoValuesFoundException.class)
        .hasMessageStartingWith("error requesting cloudwatch: AccessDenied: User: ")
        .hasMessageContaining("(status code: 403")
        .hasMessageContaining(
            "the controller's AWS credentials (default chain: IRSA web identity, AWS_* environment,"
                + " instance role) must allow cloudwatch:GetMetricData in region eu-west-1");
    assertThat(stub.requests).as("a refusal is not retried").hasSize(1);
  }

  @Test
  void missingCredentialsSayWhereTheControllerLooks() throws Exception {
    ProviderFactory noCredentials =
        new ProviderFactory(
            Duration.ofSeconds(5),
            TestFactories.metrics(),
            BoundedBody.DEFAULT_LIMIT,
            Clock.fixed(NOW, ZoneOffset.UTC),
            CloudWatchClients.at(
                stub.server.url("/").uri(),
                () -> {
                  throw SdkClientException.create(
                      "Unable to load credentials from any of the providers in the chain");
                }));
    MetricsProvider provider =
        noCredentials.provider(
            new MetricTemplateProvider("cloudwatch", null, null, null, "eu-west-1", null),
            Map.of(),
            "1m",
            null);

    assertThatThrownBy(() -> provider.runQuery(QUERY))
        .hasMessage(
            "error requesting cloudwatch: Unable to load credentials from any of the providers in"
                + " the chain; the controller's AWS credentials (default chain: IRSA web identity,"
                + " AWS_* environment, instance role)");
    assertThat(stub.requests).isEmpty();
  }

  @Test
  void throttlingIsRetriedThreeTimesThenFailsWithCloudWatchsWords() throws Exception {
    stub.answer(error(400, resource("throttling.json")));

    assertThatThrownBy(() -> provider("1m").runQuery(QUERY))
        .hasMessageStartingWith("error requesting cloudwatch: Throttling: Rate exceeded")
        .hasMessageContaining("status code: 400");
    assertThat(stub.requests).hasSize(4);
  }

  @Test
  void serverErrorsAreRetriedThreeTimesThenFail() throws Exception {
    stub.answer(error(500, resource("internal-error.json")));

    assertThatThrownBy(() -> provider("1m").runQuery(QUERY))
        .hasMessageStartingWith(
            "error requesting cloudwatch: InternalServiceFault: Internal service error")
        .hasMessageContaining("status code: 500");
    assertThat(stub.requests).hasSize(4);
  }

  @Test
  void aRetriedCallThatSucceedsReturnsTheValue() throws Exception {
    var calls = new java.util.concurrent.atomic.AtomicInteger();
    stub.answer(
        r ->
            calls.incrementAndGet() < 3
                ? error(503, resource("internal-error.json"))
                : ok(resource("get-metric-data.json")));

    assertThat(provider("1m").runQuery(QUERY)).isEqualTo(2.5);
    assertThat(stub.requests).hasSize(3);
  }

  @Test
  void aSlowCloudWatchFailsTheCheckWithinTheBound() throws Exception {
    stub.answer(
        new MockResponse.Builder()
            .code(200)
            .headersDelay(30, TimeUnit.SECONDS)
            .body("never read")
            .build());
    MetricsProvider provider =
        factory.provider(
            new MetricTemplateProvider("cloudwatch", null, null, null, "eu-west-1", null),
            Map.of(),
            "1m",
            Duration.ofMillis(500));

    assertThatThrownBy(() -> provider.runQuery(QUERY))
        .hasMessageStartingWith("error requesting cloudwatch: ")
        .hasMessageContaining("timeout");
  }

  @Test
  void isOnlineSendsAnEmptyCallAndTakesAnAnswerOrA400AsOnline() throws Exception {
    MetricsProvider provider = provider("1m");
    stub.answer(error(400, resource("invalid-parameter.json")));
    assertThat(provider.isOnline()).isTrue();
    JsonObject body = stub.requests.getFirst().body();
    assertThat(body.getJsonArray("MetricDataQueries")).isEmpty();
    assertThat(body.getJsonNumber("StartTime").longValue()).isZero();
    assertThat(body.getJsonNumber("EndTime").longValue()).isZero();

    stub.answer(ok(resource("no-results.json")));
    assertThat(provider.isOnline()).isTrue();
  }

  @Test
  void isOnlineFailsOnARefusalOrAServerError() throws Exception {
    MetricsProvider provider = provider("1m");
    stub.answer(error(403, resource("access-denied.json")));
    assertThatThrownBy(provider::isOnline)
        .hasMessageStartingWith("unexpected status code: AccessDenied: ")
        .hasMessageContaining("cloudwatch:GetMetricData in region eu-west-1");
    stub.answer(error(500, resource("internal-error.json")));
    assertThatThrownBy(provider::isOnline)
        .hasMessageStartingWith("unexpected status code: InternalServiceFault: ");
  }

  @Test
  void aTemplateWithoutRegionOrWithABadIntervalIsAConstructionError() {
    assertThatThrownBy(
            () ->
                factory.provider(
                    new MetricTemplateProvider("cloudwatch", null, null, null, " ", null),
                    Map.of(),
                    "1m",
                    null))
        .hasMessage("region not specified");
    assertThatThrownBy(() -> provider("1 minute"))
        .hasMessage("error parsing metric interval: time: invalid duration \"1 minute\"");
  }

  @Test
  void callsAreCountedAsMetricsProviderCalls() throws Exception {
    assertThat(provider("1m")).isInstanceOf(MeteredProvider.class);
    assertThat(((MeteredProvider) provider("1m")).delegate())
        .isInstanceOf(CloudWatchProvider.class);
  }

  private static final RangeWindow WINDOW =
      new RangeWindow(NOW.minusSeconds(60), NOW, Duration.ofSeconds(2));

  @Test
  void aRangeQueryAsksForTheWindowAndReadsTheReturnedResultOldestFirst() throws Exception {
    stub.answer(ok(resource("range.json")));
    MetricsProvider provider = provider("1m");

    assertThat(provider.supportsRangeQueries()).isTrue();
    assertThat(provider.runRangeQuery(QUERY, WINDOW))
        .containsExactly(0.5, 0.75, 1.5, 0.0, 0.25, 0.5);
    JsonObject body = stub.requests.getFirst().body();
    assertThat(stub.requests.getFirst().path()).isEqualTo(CloudWatchStub.GET_METRIC_DATA);
    assertThat(body.getJsonNumber("StartTime").longValue())
        .isEqualTo(NOW.minusSeconds(60).getEpochSecond());
    assertThat(body.getJsonNumber("EndTime").longValue()).isEqualTo(NOW.getEpochSecond());
    assertThat(body).doesNotContainKey("MaxDatapoints");
    assertThat(body.getJsonArray("MetricDataQueries").stream())
        .map(q -> q.asJsonObject().getString("Id"))
        .containsExactly("e1", "m1", "m2");
  }

  @Test
  void aRangeQueryWithoutResultsIsEmptyAndSeveralReturnedResultsFail() throws Exception {
    MetricsProvider provider = provider("1m");
    stub.answer(ok(resource("no-results.json")));
    assertThat(provider.runRangeQuery(QUERY, WINDOW)).isEmpty();
    stub.answer(ok(resource("empty-values.json")));
    assertThat(provider.runRangeQuery(QUERY, WINDOW)).isEmpty();
    stub.answer(ok(resource("get-metric-data.json")));
    assertThatThrownBy(() -> provider.runRangeQuery(QUERY, WINDOW))
        .isInstanceOf(MultipleValuesException.class)
        .hasMessage(
            "range query returned 2 series, expected one (set ReturnData false on all queries but"
                + " one)");
    stub.answer(error(403, resource("access-denied.json")));
    assertThatThrownBy(() -> provider.runRangeQuery(QUERY, WINDOW))
        .hasMessageStartingWith("error requesting cloudwatch: AccessDenied: User: ")
        .hasMessageContaining("must allow cloudwatch:GetMetricData in region eu-west-1");
  }
}
