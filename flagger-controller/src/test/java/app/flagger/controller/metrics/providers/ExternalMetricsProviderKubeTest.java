package app.flagger.controller.metrics.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.support.TestFactories;
import app.flagger.model.http.BoundedBody;
import app.flagger.model.metric.MetricTemplateProvider;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The externalmetrics provider: through the controller's client against the mock API server
 * (expectations mode), and through an {@code address} override against a mockwebserver playing a
 * metrics adapter. Cases from Flagger's externalmetrics_test.go.
 */
@EnableKubernetesMockClient
class ExternalMetricsProviderKubeTest {
  private static final String PATH = "/apis/external.metrics.k8s.io/v1beta1/namespaces/";

  KubernetesClient client;
  KubernetesMockServer server;
  private MockWebServer adapter;

  @BeforeEach
  void start() throws IOException {
    adapter = new MockWebServer();
    adapter.start();
  }

  @AfterEach
  void stop() {
    adapter.close();
  }

  private static String body(String name) throws IOException {
    try (InputStream in =
        ExternalMetricsProviderKubeTest.class.getResourceAsStream(
            "/metrics/externalmetrics/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private ExternalMetricsProvider viaAdapter(String token, Duration timeout) {
    return new ExternalMetricsProvider(
        client, adapter.url("/").toString(), token, false, timeout, BoundedBody.DEFAULT_LIMIT);
  }

  private void reply(int code, String body) {
    adapter.enqueue(new MockResponse.Builder().code(code).body(body).build());
  }

  @Test
  void takesTheFirstItemThroughTheControllersApiServer() throws Exception {
    server
        .expect()
        .get()
        .withPath(PATH + "default/myMetric?labelSelector=label1%3Dvalue1")
        .andReturn(200, body("value-list.json"))
        .once();
    ExternalMetricsProvider provider =
        new ExternalMetricsProvider(
            client, null, null, false, Duration.ofSeconds(5), BoundedBody.DEFAULT_LIMIT);

    assertThat(provider.runQuery("default/myMetric?labelSelector=label1%3Dvalue1"))
        .isEqualTo(1.111);
  }

  @Test
  void anAddressOverrideGetsTheTokenAsBearerAndTheDefaultNamespace() throws Exception {
    reply(200, body("value-list.json"));

    assertThat(viaAdapter("test-token", Duration.ofSeconds(5)).runQuery("/myMetric"))
        .isEqualTo(1.111);

    RecordedRequest request = adapter.takeRequest();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getTarget()).isEqualTo(PATH + "default/myMetric");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer test-token");
  }

  @Test
  void anEmptyListIsNoValuesFound() throws Exception {
    reply(200, body("empty-list.json"));

    assertThatThrownBy(() -> viaAdapter(null, Duration.ofSeconds(5)).runQuery("ns/myMetric"))
        .isInstanceOf(NoValuesFoundException.class)
        .hasMessageContaining("no external metrics found: no values found");
  }

  @Test
  void aForbiddenAnswerNamesTheTokenAndRbac() {
    reply(403, "{\"kind\":\"Status\",\"message\":\"forbidden: cannot get external metrics\"}");

    assertThatThrownBy(() -> viaAdapter("bad", Duration.ofSeconds(5)).runQuery("ns/myMetric"))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessageContaining("error querying external metrics API: status 403")
        .hasMessageContaining("token of the template's secretRef")
        .hasMessageContaining("forbidden: cannot get external metrics");
  }

  @Test
  void aServerErrorIsAFailedCheckWithTheBody() {
    reply(503, "adapter overloaded");

    assertThatThrownBy(() -> viaAdapter(null, Duration.ofSeconds(5)).runQuery("ns/myMetric"))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessageContaining("status 503: adapter overloaded");
  }

  @Test
  void anAnswerOverTheResponseLimitFails() throws Exception {
    reply(200, body("value-list.json"));
    ExternalMetricsProvider provider =
        new ExternalMetricsProvider(
            client, adapter.url("/").toString(), null, false, Duration.ofSeconds(5), 64);

    assertThatThrownBy(() -> provider.runQuery("ns/myMetric"))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessageContaining("64");
  }

  @Test
  void aSlowAdapterTimesOut() {
    adapter.enqueue(
        new MockResponse.Builder().body("{}").headersDelay(2, TimeUnit.SECONDS).build());

    assertThatThrownBy(() -> viaAdapter(null, Duration.ofMillis(300)).runQuery("ns/myMetric"))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessageContaining("error querying external metrics API");
  }

  @Test
  void malformedQueriesNameTheExpectedForm() {
    ExternalMetricsProvider provider = viaAdapter(null, Duration.ofSeconds(5));

    assertThatThrownBy(() -> provider.runQuery("a/b/c"))
        .hasMessageContaining(
            "too many slashes, expected <namespace>/<metricName>?labelSelector=<urlencoded label"
                + " selectors>");
    assertThatThrownBy(() -> provider.runQuery("namespaceonly/"))
        .hasMessageContaining("metric name cannot be empty");
    assertThatThrownBy(() -> provider.runQuery("")).hasMessageContaining("metric name cannot");
    assertThat(adapter.getRequestCount()).isZero();
  }

  @Test
  void isOnlineListsTheDummyMetricOfKubeSystem() throws Exception {
    reply(200, body("empty-list.json"));
    assertThat(viaAdapter(null, Duration.ofSeconds(5)).isOnline()).isTrue();
    assertThat(adapter.takeRequest().getTarget()).isEqualTo(PATH + "kube-system/dummy-metric");

    reply(404, "{\"kind\":\"Status\",\"message\":\"the server could not find the resource\"}");
    assertThatThrownBy(() -> viaAdapter(null, Duration.ofSeconds(5)).isOnline())
        .hasMessageContaining("external metrics service unavailable: status 404");
  }

  @Test
  void theFactoryChecksTheAddressAndPassesTheToken() throws Exception {
    ProviderFactory factory =
        new ProviderFactory(
            Duration.ofSeconds(5), TestFactories.metrics(), 1 << 20, client, new Random(1));
    reply(200, body("value-list.json"));

    MetricsProvider provider =
        factory.provider(
            new MetricTemplateProvider(
                "externalmetrics", adapter.url("/").toString(), null, null, null, null),
            Map.of("token", "from-secret"),
            Duration.ofSeconds(10));

    assertThat(provider.runQuery("default/myMetric")).isEqualTo(1.111);
    assertThat(adapter.takeRequest().getHeaders().get("Authorization"))
        .isEqualTo("Bearer from-secret");
    assertThatThrownBy(
            () ->
                factory.provider(
                    new MetricTemplateProvider(
                        "externalmetrics", "ftp://x", null, null, null, null),
                    Map.of(),
                    null))
        .hasMessageContaining("externalmetrics address ftp://x is not a valid URL");
  }
}
