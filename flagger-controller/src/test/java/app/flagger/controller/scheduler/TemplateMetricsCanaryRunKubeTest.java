package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.StandardComponents;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.canary.ThresholdRange;
import app.flagger.model.common.NamedReference;
import app.flagger.model.common.SecretReference;
import app.flagger.model.metric.MetricTemplate;
import app.flagger.model.metric.MetricTemplateProvider;
import app.flagger.model.metric.MetricTemplateSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A blue/green Canary whose only metric is a MetricTemplate of a non-Prometheus provider ({@code
 * influxdb}, {@code splunk}), run end to end on the mock API server by the controller as {@link
 * StandardComponents} wires it. A stub answers in the vendor's documented shape (the bodies under
 * {@code metrics/<type>/}) with {@link #value}: low, the Canary is promoted; high, it rolls back.
 */
@EnableKubernetesMockClient(crud = true)
class TemplateMetricsCanaryRunKubeTest {
  KubernetesClient client;
  StandardRun run;
  final MockWebServer backend = new MockWebServer();
  final List<String> queries = new CopyOnWriteArrayList<>();

  /** The error rate the backend reports; the metric allows at most 1. */
  volatile String value = "0.25";

  @BeforeEach
  void setUp() throws Exception {
    run = new StandardRun(client, "0.1");
    backend.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            String path = r.getUrl().encodedPath();
            String body = r.getBody() == null ? "" : r.getBody().utf8();
            return switch (path) {
              case "/api/v2/query" -> influx(body);
              case "/v2/signalflow/execute" -> splunk(body);
              case "/v2/metric" -> ok(resource("splunk/metric-limit-1.json"));
              default -> new MockResponse.Builder().code(404).build();
            };
          }
        });
    backend.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    run.close();
    backend.close();
  }

  private MockResponse influx(String body) {
    if (body.contains("bucket: \\\"default\\\"")) {
      return ok(""); // the availability check
    }
    queries.add(body);
    return ok(resource("influxdb/double.csv").replace("15.43", value));
  }

  private MockResponse splunk(String program) {
    queries.add(program);
    return ok(resource("splunk/one-series.sse").replace("2.5", value));
  }

  private static MockResponse ok(String body) {
    return new MockResponse.Builder().code(200).body(body).build();
  }

  private static String resource(String name) {
    try (InputStream in =
        TemplateMetricsCanaryRunKubeTest.class.getResourceAsStream("/metrics/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The MetricTemplate {@code error-rate} of {@code type}, its Secret, and a Canary using it. */
  private CanarySpec canaryOn(String type) {
    Map<String, String> secret =
        type.equals("influxdb")
            ? Map.of("token", "influx-token", "org", "flagger")
            : Map.of("sf_token_key", "sf-token");
    client
        .secrets()
        .inNamespace(CanaryFixture.NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(type + "-secret")
                .endMetadata()
                .withData(
                    secret.entrySet().stream()
                        .collect(
                            Collectors.toMap(
                                Map.Entry::getKey,
                                e ->
                                    Base64.getEncoder()
                                        .encodeToString(
                                            e.getValue().getBytes(StandardCharsets.UTF_8)))))
                .build())
        .create();
    String query =
        type.equals("influxdb")
            ? "from(bucket: \"flagger\") |> range(start: -{{ interval }})"
                + " |> filter(fn: (r) => r.app == \"{{ target }}\") |> mean()"
            : "data('errors', filter=filter('app', '{{ target }}')).mean().publish()";
    MetricTemplate template = new MetricTemplate();
    template.setMetadata(
        new ObjectMetaBuilder().withName("error-rate").withNamespace(CanaryFixture.NS).build());
    template.setSpec(
        new MetricTemplateSpec(
            new MetricTemplateProvider(
                type,
                backend.url("/").toString(),
                null,
                new SecretReference(type + "-secret"),
                null,
                null),
            query));
    client.resource(template).create();
    CanaryMetric errorRate =
        new CanaryMetric(
            "error-rate",
            "1m",
            null,
            new ThresholdRange(null, 1.0),
            null,
            new NamedReference("error-rate", null),
            null);
    // blue/green: three iterations, threshold 2, the template metric only
    CanaryAnalysis analysis =
        ReportingKubeTest.withMetrics(
            CanaryFixture.analysis(null, null, 3, 2, List.of()), List.of(errorRate));
    return CanaryFixture.spec("kubernetes", analysis);
  }

  @ParameterizedTest
  @ValueSource(strings = {"influxdb", "splunk"})
  void promotesWhenTheTemplateValueIsWithinTheThreshold(String type) {
    run.initializeAndRollOut(canaryOn(type));
    run.runToPromotion(() -> null);

    assertThat(run.fixture.get().getStatus().phase())
        .as(run.events.messages().toString())
        .isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(run.events.messages())
        .containsSubsequence(
            "Copying podinfo.default template spec to podinfo-primary.default",
            "Promotion completed! Scaling down podinfo.default");
    assertThat(queries).isNotEmpty().allSatisfy(q -> assertThat(q).contains("podinfo"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"influxdb", "splunk"})
  void rollsBackWhenTheTemplateValueIsTooHigh(String type) {
    run.initializeAndRollOut(canaryOn(type));
    value = "5.5";
    for (int i = 0; i < 10 && run.fixture.get().getStatus().phase() != CanaryPhase.FAILED; i++) {
      run.tick();
    }

    assertThat(run.fixture.get().getStatus().phase())
        .as(run.events.messages().toString())
        .isEqualTo(CanaryPhase.FAILED);
    assertThat(run.events.messages())
        .containsSubsequence(
            "Halt podinfo.default advancement error-rate 5.50 > 1",
            "Rolling back podinfo.default failed checks threshold reached 2",
            "Canary failed! Scaling down podinfo.default");
  }
}
