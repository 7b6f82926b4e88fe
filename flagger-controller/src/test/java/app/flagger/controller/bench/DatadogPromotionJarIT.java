package app.flagger.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.Crds;
import app.flagger.controller.support.MockApiServer;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.metric.MetricTemplate;
import app.flagger.model.support.ZapJsonLog;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * The packaged controller, started as its image starts it, analyses two {@code kubernetes}
 * (blue/green) Canaries whose only metric is a MetricTemplate of type {@code datadog} pointed at a
 * Datadog stub: a mockwebserver answering {@code /api/v1/validate} and {@code /api/v1/query} with
 * the documented bodies ({@code src/test/resources/metrics/datadog/}), and {@code 403 Forbidden} to
 * any request without the Secret's keys. The Canary in {@value #HEALTHY} reads 0.75 (under the
 * threshold 5) and is promoted; the one in {@value #FAILING} reads 12.5 and, after {@code
 * threshold} failed checks, is rolled back with Flagger's messages (reference §2.3, §2.13).
 *
 * <p>The stub checks what Flagger sends (reference §3.6): the headers {@code DD-API-KEY} and {@code
 * DD-APPLICATION-KEY} carry the Secret's values, the query is the template rendered with each
 * Canary's namespace, target and metric interval, and {@code from}/{@code to} span ten metric
 * intervals.
 *
 * <p>About 70 s on an idle machine: two ticks to initialize, then two iterations (or two failed
 * checks) and the promotion (or rollback), 10 s apart.
 */
class DatadogPromotionJarIT {
  static final Path MODULE = JsonLogJarIT.MODULE;
  static final String NAME = CanaryFixture.NAME;
  static final String HEALTHY = "datadog-healthy";
  static final String FAILING = "datadog-failing";
  static final String TEMPLATES = "datadog-templates";
  static final String API_KEY = "dd-api-5f0c2e";
  static final String APPLICATION_KEY = "dd-app-9b71d4";
  static final String METRIC = "error-rate";
  static final int THRESHOLD = 2;

  /** The template's query; Datadog's rollup takes seconds, the stub only checks the rendering. */
  static final String QUERY =
      "100 * sum:trace.http.request.errors{kube_namespace:{{ namespace }},"
          + "kube_deployment:{{ target }}}.as_count().rollup(sum, {{ interval }})"
          + " / sum:trace.http.request.hits{kube_namespace:{{ namespace }},"
          + "kube_deployment:{{ target }}}.as_count().rollup(sum, {{ interval }})";

  /** One request the stub received: its path, the query parameters and the two key headers. */
  record Call(String path, String query, String from, String to, String apiKey, String appKey) {}

  @Test
  void aDatadogTemplatePromotesTheHealthyCanaryAndRollsBackTheOneOverItsThreshold()
      throws Exception {
    Path dir = MODULE.resolve("target/datadog-promotion-it");
    List<Call> calls = new CopyOnWriteArrayList<>();
    ExecutorService writer = Executors.newSingleThreadExecutor();
    List<Event> failingEvents;
    try (MockWebServer datadog = datadog(calls);
        MockApiServer api = MockApiServer.start();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(api.config(0)).build()) {
      Crds.register(client);
      client.resource(secret()).create();
      client.resource(template(datadog.url("/").toString())).create();
      for (String ns : List.of(HEALTHY, FAILING)) {
        new CanaryFixture(client, ns).seed();
        BenchApiServer.finishRollouts(client, ns, writer);
        client.resource(canary(ns)).create();
      }
      Map<String, String> env =
          new HashMap<>(JsonLogJarIT.env(dir, client.getConfiguration().getMasterUrl()));
      try (ControllerProcess controller =
          ControllerProcess.start(CanaryBenchIT.jar(MODULE), JsonLogJarIT.shipped(), env, dir)) {
        awaitPhase(client, controller, HEALTHY, CanaryPhase.INITIALIZED);
        awaitPhase(client, controller, FAILING, CanaryPhase.INITIALIZED);
        for (String ns : List.of(HEALTHY, FAILING)) {
          new CanaryFixture(client, ns).rolloutNewRevision(ProviderPromotionJarIT.NEW_IMAGE);
        }
        awaitPhase(client, controller, HEALTHY, CanaryPhase.SUCCEEDED);
        awaitPhase(client, controller, FAILING, CanaryPhase.FAILED);
      }
      assertThat(primaryImage(client, HEALTHY))
          .as("the healthy canary's new revision was promoted")
          .isEqualTo(ProviderPromotionJarIT.NEW_IMAGE);
      assertThat(primaryImage(client, FAILING))
          .as("the failing canary's primary keeps the old revision")
          .isNotEqualTo(ProviderPromotionJarIT.NEW_IMAGE);
      failingEvents = client.v1().events().inNamespace(FAILING).list().getItems();
    } finally {
      writer.shutdownNow();
    }

    assertThat(calls).as("requests the Datadog stub received").isNotEmpty();
    assertThat(calls)
        .as("every request carries the Secret's keys in Flagger's headers")
        .allSatisfy(
            c -> {
              assertThat(c.apiKey()).isEqualTo(API_KEY);
              assertThat(c.appKey()).isEqualTo(APPLICATION_KEY);
            });
    assertThat(calls).extracting(Call::path).contains("/api/v1/validate", "/api/v1/query");
    List<Call> queries = calls.stream().filter(c -> c.path().equals("/api/v1/query")).toList();
    assertThat(new TreeSet<>(queries.stream().map(Call::query).toList()))
        .as("the template rendered with each Canary's namespace, target and metric interval")
        .containsExactly(rendered(FAILING), rendered(HEALTHY));
    assertThat(queries)
        .as("from/to span ten metric intervals of 30s")
        .allSatisfy(
            c -> assertThat(Long.parseLong(c.to()) - Long.parseLong(c.from())).isEqualTo(300));

    List<JsonObject> log =
        ZapJsonLog.everyLine(Files.readAllLines(dir.resolve(ControllerProcess.LOG)));
    String failing = NAME + "." + FAILING;
    String halt = "Halt " + failing + " advancement " + METRIC + " 12.50 > 5";
    List<String> expected =
        List.of(
            "all the metrics providers are available!",
            halt,
            "Rolling back " + failing + " failed checks threshold reached " + THRESHOLD,
            "Canary failed! Scaling down " + failing);
    assertThat(
            ZapJsonLog.messages(
                log.stream().filter(o -> failing.equals(o.getString("canary", ""))).toList(),
                expected))
        .as("the failing canary's log, in order")
        .containsSubsequence(expected);
    assertThat(failingEvents)
        .as("the failed metric check as a Warning event")
        .anySatisfy(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getReason()).isEqualTo("Synced");
              assertThat(e.getMessage()).isEqualTo(halt);
            });
    assertThat(log)
        .as("the healthy canary never failed a check")
        .noneSatisfy(
            o -> assertThat(o.getString("msg")).startsWith("Halt " + NAME + "." + HEALTHY));
  }

  private static String primaryImage(KubernetesClient client, String ns) {
    var pod = new CanaryFixture(client, ns).primary().getSpec().getTemplate().getSpec();
    return pod.getContainers().get(0).getImage();
  }

  /** {@link #QUERY} as Flagger renders it for {@value #NAME} in {@code ns} with interval 30s. */
  static String rendered(String ns) {
    return QUERY
        .replace("{{ namespace }}", ns)
        .replace("{{ target }}", NAME)
        .replace("{{ interval }}", "30s");
  }

  /**
   * The Datadog API: 403 without the Secret's keys, {@code validate.json} for the key check, and
   * for queries {@code query.json} (first point 12.5) in {@value #FAILING}, the same body with 0.75
   * as its first point elsewhere.
   */
  private static MockWebServer datadog(List<Call> calls) throws IOException {
    String query = resource("query.json");
    String healthy = query.replace("[1700000000000.0, 12.5]", "[1700000000000.0, 0.75]");
    assertThat(healthy).isNotEqualTo(query);
    MockWebServer server = new MockWebServer();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            var url = r.getUrl();
            Call call =
                new Call(
                    url.encodedPath(),
                    url.queryParameter("query"),
                    url.queryParameter("from"),
                    url.queryParameter("to"),
                    r.getHeaders().get("DD-API-KEY"),
                    r.getHeaders().get("DD-APPLICATION-KEY"));
            calls.add(call);
            if (!API_KEY.equals(call.apiKey()) || !APPLICATION_KEY.equals(call.appKey())) {
              return json(403, resource("forbidden.json"));
            }
            return switch (call.path()) {
              case "/api/v1/validate" -> json(200, resource("validate.json"));
              case "/api/v1/query" ->
                  json(
                      200,
                      call.query() != null && call.query().contains("kube_namespace:" + FAILING)
                          ? query
                          : healthy);
              default -> json(404, "{\"errors\": [\"Not found\"]}");
            };
          }
        });
    server.start();
    return server;
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  private static String resource(String name) {
    try (InputStream in =
        DatadogPromotionJarIT.class.getResourceAsStream("/metrics/datadog/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits until the Canary in {@code ns} is in {@code phase}; fails at once when the controller
   * exits.
   */
  private static void awaitPhase(
      KubernetesClient client, ControllerProcess controller, String ns, CanaryPhase phase) {
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> ProviderPromotionJarIT.assertInPhase(client, controller, ns, phase));
  }

  private static Secret secret() {
    Base64.Encoder b64 = Base64.getEncoder();
    return new SecretBuilder()
        .withNewMetadata()
        .withName("datadog")
        .withNamespace(TEMPLATES)
        .endMetadata()
        .withData(
            Map.of(
                "datadog_api_key",
                b64.encodeToString(API_KEY.getBytes(StandardCharsets.UTF_8)),
                "datadog_application_key",
                b64.encodeToString(APPLICATION_KEY.getBytes(StandardCharsets.UTF_8))))
        .build();
  }

  private static MetricTemplate template(String address) {
    String yaml =
        """
        apiVersion: flagger.app/v1beta1
        kind: MetricTemplate
        metadata: {name: datadog-error-rate, namespace: %s}
        spec:
          provider:
            type: datadog
            address: %s
            secretRef:
              name: datadog
          query: "%s"
        """
            .formatted(TEMPLATES, address, QUERY);
    return ProviderPromotionJarIT.JSON.unmarshal(yaml, MetricTemplate.class);
  }

  /** A blue/green Canary of {@value #NAME} in {@code ns} with the Datadog metric only. */
  private static Canary canary(String ns) {
    String yaml =
        """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata: {name: %s, namespace: %s}
        spec:
          provider: kubernetes
          targetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: %s
          service:
            port: 9898
          analysis:
            interval: 10s
            threshold: %d
            iterations: 2
            metrics:
              - name: %s
                templateRef:
                  name: datadog-error-rate
                  namespace: %s
                thresholdRange:
                  max: 5
                interval: 30s
        """
            .formatted(NAME, ns, NAME, THRESHOLD, METRIC, TEMPLATES);
    return ProviderPromotionJarIT.JSON.unmarshal(yaml, Canary.class);
  }
}
