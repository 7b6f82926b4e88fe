package app.flagger.controller.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.metrics.providers.MetricsProvider;
import app.flagger.controller.metrics.providers.MetricsProviderException;
import app.flagger.controller.metrics.providers.NoValuesFoundException;
import app.flagger.controller.metrics.providers.ProviderFactory;
import app.flagger.controller.notifier.NopNotifier;
import app.flagger.controller.notifier.Notifier;
import app.flagger.controller.notifier.NotifierException;
import app.flagger.controller.notifier.NotifierFactory;
import app.flagger.controller.support.RegistryReader;
import app.flagger.controller.webhook.Backoff;
import app.flagger.controller.webhook.HelidonWebhookClient;
import app.flagger.controller.webhook.MeteredWebhookClient;
import app.flagger.controller.webhook.WebhookClient;
import app.flagger.model.alert.AlertSeverity;
import app.flagger.model.common.SecretReference;
import app.flagger.model.metric.MetricTemplateProvider;
import app.flagger.model.metrics.FlaggerMetrics;
import app.flagger.model.metrics.FlaggerMetrics.CallTarget;
import io.helidon.metrics.api.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Prometheus queries and notifier posts built by the production factories, and event-webhook posts,
 * are counted by outcome and timed, against a real HTTP server.
 */
class CallMetricsTest {
  private static final String VECTOR =
      """
      {"status":"success","data":{"resultType":"vector","result":[
        {"metric":{},"value":[1700000000.1,"99"]}]}}""";
  private static final String EMPTY =
      """
      {"status":"success","data":{"resultType":"vector","result":[]}}""";

  private final MeterRegistry registry = MeterRegistry.create();
  private final ControllerMetrics metrics = new ControllerMetrics(registry);
  private final RegistryReader scrape = new RegistryReader(registry);
  private MockWebServer server;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void reply(int code, String body) {
    server.enqueue(new MockResponse.Builder().code(code).body(body).build());
  }

  @Test
  void prometheusQueriesAreCountedByOutcomeAndTimed() throws Exception {
    MetricsProvider prometheus =
        new ProviderFactory(
                Duration.ofSeconds(5), metrics, app.flagger.model.http.BoundedBody.DEFAULT_LIMIT)
            .prometheus(server.url("/").toString(), Duration.ofSeconds(5));
    reply(200, VECTOR);
    assertThat(prometheus.runQuery("q")).isEqualTo(99);
    // an empty answer is an answer: the analysis halts on it, the call succeeded
    reply(200, EMPTY);
    assertThatThrownBy(() -> prometheus.runQuery("q")).isInstanceOf(NoValuesFoundException.class);
    reply(503, "overloaded");
    assertThatThrownBy(() -> prometheus.runQuery("q"))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessageContaining("503");
    reply(
        200, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"]}}");
    assertThat(prometheus.isOnline()).isTrue();

    assertThat(scrape.calls(CallTarget.METRICS_PROVIDER, FlaggerMetrics.OUTCOME_SUCCESS))
        .isEqualTo(3);
    assertThat(scrape.calls(CallTarget.METRICS_PROVIDER, FlaggerMetrics.OUTCOME_ERROR))
        .isEqualTo(1);
    assertThat(scrape.durations(CallTarget.METRICS_PROVIDER)).isEqualTo(4);
    assertThat(scrape.providerCalls("prometheus", FlaggerMetrics.OUTCOME_SUCCESS)).isEqualTo(3);
    assertThat(scrape.providerCalls("prometheus", FlaggerMetrics.OUTCOME_ERROR)).isEqualTo(1);
  }

  /** New Relic, Graphite and Dynatrace: one answered query and one refused query each. */
  @Test
  void vendorApiQueriesAreCountedAsMetricsProviderCalls() throws Exception {
    ProviderFactory factory =
        new ProviderFactory(
            Duration.ofSeconds(5), metrics, app.flagger.model.http.BoundedBody.DEFAULT_LIMIT);
    var secret = new SecretReference("creds");
    Map<String, String> credentials =
        Map.of("newrelic_account_id", "1", "newrelic_query_key", "k", "dynatrace_token", "t");
    Map<String, String> answers =
        Map.of(
            "newrelic", "{\"results\":[{\"result\":1}]}",
            "graphite", "[{\"target\":\"t\",\"datapoints\":[[1,1]]}]",
            "dynatrace", "{\"result\":[{\"data\":[{\"values\":[1]}]}]}");
    for (var type : answers.entrySet()) {
      MetricsProvider provider =
          factory.provider(
              new MetricTemplateProvider(
                  type.getKey(),
                  server.url("/").toString(),
                  null,
                  "graphite".equals(type.getKey()) ? null : secret,
                  null,
                  null),
              credentials,
              "1m",
              null);
      reply(200, type.getValue());
      assertThat(provider.runQuery("target=q")).isEqualTo(1);
      reply(503, "overloaded");
      assertThatThrownBy(() -> provider.runQuery("target=q")).hasMessageContaining("503");
    }
    assertThat(scrape.calls(CallTarget.METRICS_PROVIDER, FlaggerMetrics.OUTCOME_SUCCESS))
        .isEqualTo(3);
    assertThat(scrape.calls(CallTarget.METRICS_PROVIDER, FlaggerMetrics.OUTCOME_ERROR))
        .isEqualTo(3);
    // and by type, for the dashboard's provider-health panel
    for (String type : answers.keySet()) {
      assertThat(scrape.providerCalls(type, FlaggerMetrics.OUTCOME_SUCCESS)).as(type).isEqualTo(1);
      assertThat(scrape.providerCalls(type, FlaggerMetrics.OUTCOME_ERROR)).as(type).isEqualTo(1);
    }
  }

  @Test
  void unreachablePrometheusIsAnError() throws Exception {
    String address = server.url("/").toString();
    server.close();
    MetricsProvider prometheus =
        new ProviderFactory(
                Duration.ofSeconds(2), metrics, app.flagger.model.http.BoundedBody.DEFAULT_LIMIT)
            .prometheus(address, null);
    assertThatThrownBy(() -> prometheus.runQuery("q")).isInstanceOf(MetricsProviderException.class);
    assertThat(scrape.calls(CallTarget.METRICS_PROVIDER, FlaggerMetrics.OUTCOME_ERROR))
        .isEqualTo(1);
  }

  @Test
  void notifierPostsAreCountedByOutcomeAndTimed() throws Exception {
    NotifierFactory factory =
        new NotifierFactory(
            Duration.ofSeconds(5), metrics, app.flagger.model.http.BoundedBody.DEFAULT_LIMIT);
    Notifier slack =
        factory.create("slack", server.url("/hook").toString(), null, "flagger", "#ops", null);
    Notifier teams =
        factory.create("msteams", server.url("/teams").toString(), null, null, null, null);
    reply(200, "ok");
    slack.post("podinfo", "test", "hello", List.of(), AlertSeverity.INFO);
    reply(500, "down");
    assertThatThrownBy(() -> teams.post("podinfo", "test", "hello", List.of(), AlertSeverity.ERROR))
        .isInstanceOf(NotifierException.class);

    assertThat(scrape.calls(CallTarget.NOTIFIER, FlaggerMetrics.OUTCOME_SUCCESS)).isEqualTo(1);
    assertThat(scrape.calls(CallTarget.NOTIFIER, FlaggerMetrics.OUTCOME_ERROR)).isEqualTo(1);
    assertThat(scrape.durations(CallTarget.NOTIFIER)).isEqualTo(2);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aNotifierWithoutAddressMakesNoCall() throws Exception {
    Notifier nop =
        new NotifierFactory(
                Duration.ofSeconds(5), metrics, app.flagger.model.http.BoundedBody.DEFAULT_LIMIT)
            .create("slack", "", null, null, null, null);
    assertThat(nop).isInstanceOf(NopNotifier.class);
    nop.post("podinfo", "test", "hello", List.of(), AlertSeverity.INFO);
    assertThat(scrape.durations(CallTarget.NOTIFIER)).isZero();
  }

  @Test
  void eventWebhookPostsAreCountedByOutcomeAndTimed() {
    WebhookClient events =
        new MeteredWebhookClient(new HelidonWebhookClient(Backoff.NONE), metrics);
    String url = server.url("/events").toString();
    reply(202, "");
    assertThat(events.post(url, "{}", Duration.ofSeconds(5), 0, false)).isEmpty();
    reply(500, "no");
    assertThat(events.post(url, "{}", Duration.ofSeconds(5), 0, false)).isPresent();

    assertThat(scrape.calls(CallTarget.WEBHOOK, FlaggerMetrics.OUTCOME_SUCCESS)).isEqualTo(1);
    assertThat(scrape.calls(CallTarget.WEBHOOK, FlaggerMetrics.OUTCOME_ERROR)).isEqualTo(1);
    assertThat(scrape.durations(CallTarget.WEBHOOK)).isEqualTo(2);
  }
}
