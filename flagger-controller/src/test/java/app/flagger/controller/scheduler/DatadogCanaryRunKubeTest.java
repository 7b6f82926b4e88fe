package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.StandardComponents;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.common.SecretReference;
import app.flagger.model.metric.MetricTemplate;
import app.flagger.model.metric.MetricTemplateProvider;
import app.flagger.model.metric.MetricTemplateSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code kubernetes} (blue/green) Canary whose only metric is a {@code datadog} MetricTemplate,
 * end to end on the mock API server with the controller {@link StandardComponents} wires: the
 * Secret read from the template's namespace, the query sent to a Datadog stub, its value compared
 * with the metric's threshold.
 */
@EnableKubernetesMockClient(crud = true)
class DatadogCanaryRunKubeTest {
  KubernetesClient client;
  StandardRun run;
  final MockWebServer datadog = new MockWebServer();
  final List<String> paths = new CopyOnWriteArrayList<>();
  final List<String> keys = new CopyOnWriteArrayList<>();
  volatile double value = 0.5;

  @BeforeEach
  void setUp() throws Exception {
    datadog.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            paths.add(r.getUrl().encodedPath());
            keys.add(
                r.getHeaders().get("DD-API-KEY") + "/" + r.getHeaders().get("DD-APPLICATION-KEY"));
            String body =
                r.getUrl().encodedPath().endsWith("/validate")
                    ? "{\"valid\": true}"
                    : "{\"status\": \"ok\", \"series\": [{\"pointlist\": [[1700000000000.0, "
                        + value
                        + "], [1700000060000.0, 99.0]]}]}";
            return new MockResponse.Builder().code(200).body(body).build();
          }
        });
    datadog.start();
    run = new StandardRun(client, "100");
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("datadog")
                .withNamespace(CanaryFixture.NS)
                .endMetadata()
                .withData(
                    Map.of(
                        "datadog_api_key", "YXBp", "datadog_application_key", "YXBwbGljYXRpb24="))
                .build())
        .create();
    MetricTemplate template = new MetricTemplate();
    template.setMetadata(
        new ObjectMetaBuilder().withName("errors").withNamespace(CanaryFixture.NS).build());
    template.setSpec(
        new MetricTemplateSpec(
            new MetricTemplateProvider(
                "datadog",
                datadog.url("/").toString(),
                null,
                new SecretReference("datadog"),
                null,
                null),
            "avg:errors{kube_deployment:{{ target }}}"));
    client.resource(template).create();
  }

  @AfterEach
  void tearDown() throws Exception {
    run.close();
    datadog.close();
  }

  /** Two iterations 10 s apart, threshold 2, the Datadog metric only (max 5). */
  private static CanarySpec spec() {
    String analysis =
        """
        interval: 10s
        threshold: 2
        iterations: 2
        metrics:
          - name: error-rate
            templateRef: {name: errors}
            thresholdRange: {max: 5}
            interval: 1m
        """;
    return CanaryFixture.spec(
        "kubernetes", new KubernetesSerialization().unmarshal(analysis, CanaryAnalysis.class));
  }

  private void tickUntil(CanaryPhase phase) {
    for (int i = 0; i < 10 && run.fixture.get().getStatus().phase() != phase; i++) {
      run.tick();
    }
    assertThat(run.fixture.get().getStatus().phase())
        .as(run.events.messages().toString())
        .isEqualTo(phase);
  }

  @Test
  void promotesWhenDatadogReportsAValueUnderTheThreshold() {
    run.initializeAndRollOut(spec());
    tickUntil(CanaryPhase.SUCCEEDED);
    assertThat(paths).contains("/api/v1/validate", "/api/v1/query");
    assertThat(keys).as("the Secret's keys, decoded").containsOnly("api/application");
    assertThat(run.events.messages())
        .containsSubsequence(
            "Advance podinfo.default canary iteration 1/2",
            "Advance podinfo.default canary iteration 2/2",
            "Promotion completed! Scaling down podinfo.default");
  }

  @Test
  void rollsBackWhenDatadogReportsAValueOverTheThreshold() {
    value = 12.5;
    run.initializeAndRollOut(spec());
    tickUntil(CanaryPhase.FAILED);
    assertThat(run.events.messages())
        .containsSubsequence(
            "Halt podinfo.default advancement error-rate 12.50 > 5",
            "Halt podinfo.default advancement error-rate 12.50 > 5",
            "Rolling back podinfo.default failed checks threshold reached 2",
            "Canary failed! Scaling down podinfo.default");
  }
}
