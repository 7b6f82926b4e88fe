package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.router.kuma.KumaFixtures;
import app.flagger.controller.router.kuma.KumaRouter;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.CloudMonitoringStub;
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
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Canary whose analysis has a {@code stackdriver} MetricTemplate (besides the builtin checks),
 * run through the controller on the mock API server: the template's Secret holds the project and a
 * service account key whose token endpoint, like the Cloud Monitoring API ({@code
 * spec.provider.address}), is a {@link CloudMonitoringStub}. Routed by Kuma's TrafficRoute.
 */
@EnableKubernetesMockClient(crud = true)
class StackdriverCanaryRunKubeTest {
  private static final String QUERY =
      "fetch k8s_container | metric 'istio.io/service/server/response_latencies'"
          + " | filter metric.destination_service_name == '{{ target }}-canary'"
          + " && metric.destination_service_namespace == '{{ namespace }}'"
          + " | align delta(1m) | every 1m"
          + " | group_by [], [p99: percentile(value.response_latencies, 99)]";

  KubernetesClient client;
  StandardRun run;
  CloudMonitoringStub stackdriver;

  /** The p99 latency Cloud Monitoring reports; tests raise it to fail the analysis. */
  volatile double latency = 120;

  @BeforeEach
  void setUp() throws Exception {
    KumaFixtures.registerCrd(client);
    run = new StandardRun(client, "100");
    stackdriver = new CloudMonitoringStub();
    stackdriver.answer =
        q ->
            q.isEmpty()
                ? CloudMonitoringStub.json(400, "invalid-argument.json")
                : CloudMonitoringStub.value(latency);
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("gcp-monitoring")
                .withNamespace(CanaryFixture.NS)
                .endMetadata()
                .withStringData(
                    Map.of(
                        "project",
                        "my-project",
                        "serviceAccountKey",
                        stackdriver.serviceAccountKey()))
                .build())
        .create();
    MetricTemplate template = new MetricTemplate();
    template.setMetadata(
        new ObjectMetaBuilder().withName("gcp-latency").withNamespace(CanaryFixture.NS).build());
    template.setSpec(
        new MetricTemplateSpec(
            new MetricTemplateProvider(
                "stackdriver",
                stackdriver.address(),
                null,
                new SecretReference("gcp-monitoring"),
                null,
                null),
            QUERY));
    client.resources(MetricTemplate.class).resource(template).create();
  }

  @AfterEach
  void tearDown() throws Exception {
    run.close();
    stackdriver.close();
  }

  /** The standard Kuma Canary plus the metric {@code p99-latency} (max 500) of the template. */
  private CanarySpec spec() {
    CanarySpec base = run.spec("kuma", null, 10, null, null, null);
    CanaryAnalysis a = base.analysis();
    List<CanaryMetric> metrics =
        Stream.concat(
                a.metrics().stream(),
                Stream.of(
                    new CanaryMetric(
                        "p99-latency",
                        "1m",
                        null,
                        new ThresholdRange(null, 500.0),
                        null,
                        new NamedReference("gcp-latency", null),
                        null)))
            .toList();
    CanaryAnalysis analysis = ReportingKubeTest.withMetrics(a, metrics);
    return new CanarySpec(
        base.provider(),
        base.metricsServer(),
        base.targetRef(),
        base.autoscalerRef(),
        base.ingressRef(),
        base.routeRef(),
        base.upstreamRef(),
        base.service(),
        analysis,
        base.canaryAnalysis(),
        base.progressDeadlineSeconds(),
        base.skipAnalysis(),
        base.revertOnDeletion(),
        base.suspend());
  }

  /** The split weights: primary, canary. */
  @SuppressWarnings("unchecked")
  private List<Object> weights() {
    GenericKubernetesResource route =
        client.genericKubernetesResources(KumaRouter.TRAFFIC_ROUTES).withName("podinfo").get();
    Map<String, Object> spec = (Map<String, Object>) route.getAdditionalProperties().get("spec");
    List<Map<String, Object>> split =
        (List<Map<String, Object>>) ((Map<String, Object>) spec.get("conf")).get("split");
    return split.stream().map(s -> (Object) ((Number) s.get("weight")).intValue()).toList();
  }

  private List<String> queries() {
    List<String> queries = new ArrayList<>();
    for (RecordedRequest r : stackdriver.queries) {
      queries.add(CloudMonitoringStub.query(r));
    }
    return queries;
  }

  @Test
  void promotesWhileCloudMonitoringReportsALowLatency() {
    run.initializeAndRollOut(spec());
    run.promoteInThreeSteps(this::weights);

    // the rendered query, every tick of the analysis
    assertThat(queries())
        .contains(
            "fetch k8s_container | metric 'istio.io/service/server/response_latencies'"
                + " | filter metric.destination_service_name == 'podinfo-canary'"
                + " && metric.destination_service_namespace == 'default'"
                + " | align delta(1m) | every 1m"
                + " | group_by [], [p99: percentile(value.response_latencies, 99)]");
    assertThat(stackdriver.queries)
        .allSatisfy(
            r -> {
              assertThat(r.getUrl().encodedPath())
                  .isEqualTo("/v3/projects/my-project/timeSeries:query");
              assertThat(r.getHeaders().get("Authorization"))
                  .isEqualTo("Bearer " + CloudMonitoringStub.TOKEN);
            });
    assertThat(stackdriver.tokenRequests).isNotEmpty();
  }

  @Test
  void rollsBackWhenCloudMonitoringReportsAHighLatency() {
    run.initializeAndRollOut(spec());
    // tick 4: first step passes, weight 10
    run.tick();
    assertThat(weights()).as(run.events.messages().toString()).containsExactly(90, 10);
    latency = 900;
    // ticks 5, 6: the template's metric fails twice, the weight stays
    run.tick();
    run.tick();
    assertThat(run.fixture.get().getStatus().failedChecks()).isEqualTo(2);
    assertThat(weights()).containsExactly(90, 10);
    // tick 7: threshold reached → rollback, everything back on the primary
    run.tick();

    assertThat(run.events.messages())
        .containsSubsequence(
            "Advance podinfo.default canary weight 10",
            "Halt podinfo.default advancement p99-latency 900.00 > 500",
            "Rolling back podinfo.default failed checks threshold reached 2",
            "Canary failed! Scaling down podinfo.default");
    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.FAILED);
    assertThat(weights()).containsExactly(100, 0);
  }
}
