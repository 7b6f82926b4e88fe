package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.ControllerConfig;
import app.flagger.controller.metrics.KubernetesMetricsLookup;
import app.flagger.controller.metrics.MetricChecks;
import app.flagger.controller.metrics.providers.ProviderFactory;
import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.controller.router.smi.SmiCrds;
import app.flagger.controller.router.smi.SmiRouter;
import app.flagger.controller.router.smi.TrafficSplitBuilder.Version;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.CloudWatchStub;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.canary.ThresholdRange;
import app.flagger.model.common.NamedReference;
import app.flagger.model.http.BoundedBody;
import app.flagger.model.metric.MetricTemplate;
import app.flagger.model.metric.MetricTemplateProvider;
import app.flagger.model.metric.MetricTemplateSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import jakarta.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code linkerd} Canary whose analysis adds a {@code cloudwatch} MetricTemplate, end to end on
 * the mock API server: the controller wired as in production, except that its CloudWatch clients
 * call a stub (Smithy RPC v2 CBOR, test credentials) instead of AWS.
 */
@EnableKubernetesMockClient(crud = true)
class CloudWatchCanaryRunKubeTest {
  KubernetesClient client;
  StandardRun run;
  CloudWatchStub cloudWatch;

  /** The 5xx percentage of the canary's ALB target group, as in Flagger's CloudWatch docs. */
  static final String QUERY =
      """
      [
        {"Id": "e1", "Expression": "m1 / m2 * 100", "Label": "5xx percentage"},
        {"Id": "m1", "ReturnData": false,
         "MetricStat": {"Metric": {"Namespace": "AWS/ApplicationELB",
           "MetricName": "HTTPCode_Target_5XX_Count",
           "Dimensions": [{"Name": "TargetGroup", "Value": "targetgroup/{{ target }}-canary/3a1b"}]},
           "Period": 60, "Stat": "Sum", "Unit": "Count"}},
        {"Id": "m2", "ReturnData": false,
         "MetricStat": {"Metric": {"Namespace": "AWS/ApplicationELB", "MetricName": "RequestCount",
           "Dimensions": [{"Name": "TargetGroup", "Value": "targetgroup/{{ target }}-canary/3a1b"}]},
           "Period": 60, "Stat": "Sum", "Unit": "Count"}}
      ]""";

  /** The 5xx percentage the stub reports; tests raise it to fail the analysis. */
  volatile double errorRate = 0.5;

  @BeforeEach
  void setUp() throws Exception {
    SmiCrds.register(client);
    cloudWatch = new CloudWatchStub();
    cloudWatch.answer(r -> CloudWatchStub.ok(Json.createValue(errorRate)));
    ControllerConfig config = ControllerConfig.defaults();
    run =
        new StandardRun(
            client,
            "100",
            (r, b) ->
                b.metricAnalysis(
                    new MetricChecks(
                        config.meshProvider(),
                        config.metricsServer(),
                        new ProviderFactory(
                            ProviderFactory.DEFAULT_TIMEOUT,
                            new ControllerMetrics(r.registry),
                            BoundedBody.DEFAULT_LIMIT,
                            r.clock,
                            cloudWatch.clients()),
                        new KubernetesMetricsLookup(client))));
    MetricTemplate template = new MetricTemplate();
    template.setMetadata(
        new ObjectMetaBuilder().withName("alb-5xx").withNamespace(CanaryFixture.NS).build());
    template.setSpec(
        new MetricTemplateSpec(
            new MetricTemplateProvider("cloudwatch", null, null, null, "eu-west-1", null), QUERY));
    client.resources(MetricTemplate.class).resource(template).create();
  }

  @AfterEach
  void tearDown() throws Exception {
    run.close();
    cloudWatch.close();
  }

  /** The standard linkerd Canary with the CloudWatch metric (at most 1% 5xx) added. */
  private CanarySpec spec() {
    CanarySpec base = run.spec("linkerd", null, 10, null, null, null);
    CanaryAnalysis a = base.analysis();
    List<CanaryMetric> metrics = new ArrayList<>(a.metrics());
    // first, so that the initialization's provider check reaches it before the builtin ones
    metrics.add(
        0,
        new CanaryMetric(
            "alb-5xx",
            "1m",
            null,
            new ThresholdRange(null, 1.0),
            null,
            new NamedReference("alb-5xx", null),
            null));
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

  /** The TrafficSplit's weights, primary then canary (the backends list the canary first). */
  private List<Object> weights() {
    List<Map<String, Object>> backends =
        client
            .genericKubernetesResources(SmiRouter.trafficSplits(Version.V1ALPHA1))
            .inNamespace(CanaryFixture.NS)
            .withName("podinfo")
            .get()
            .get("spec", "backends");
    return List.of(weight(backends.get(1)), weight(backends.get(0)));
  }

  private static int weight(Map<String, Object> backend) {
    return Integer.parseInt(String.valueOf(backend.get("weight")));
  }

  @Test
  void promotesWhileCloudWatchReportsFewErrors() {
    run.initializeAndRollOut(spec());
    assertThat(cloudWatch.requests)
        .as("the initialization checked that CloudWatch is reachable with an empty call")
        .anyMatch(r -> r.body().getJsonArray("MetricDataQueries").isEmpty());

    run.promoteInThreeSteps(this::weights);

    var queried =
        cloudWatch.requests.stream()
            .filter(r -> !r.body().getJsonArray("MetricDataQueries").isEmpty())
            .toList();
    assertThat(queried).hasSizeGreaterThanOrEqualTo(3);
    assertThat(
            queried
                .getFirst()
                .body()
                .getJsonArray("MetricDataQueries")
                .getJsonObject(1)
                .getJsonObject("MetricStat")
                .getJsonObject("Metric")
                .getJsonArray("Dimensions")
                .getJsonObject(0)
                .getString("Value"))
        .isEqualTo("targetgroup/podinfo-canary/3a1b");
  }

  @Test
  void rollsBackWhenCloudWatchReportsTooManyErrors() {
    run.initializeAndRollOut(spec());
    run.tick();
    assertThat(weights()).containsExactly(90, 10);
    errorRate = 5.0;
    run.tick();
    run.tick();
    assertThat(run.fixture.get().getStatus().failedChecks()).isEqualTo(2);
    run.tick();

    assertThat(run.events.messages())
        .containsSubsequence(
            "Advance podinfo.default canary weight 10",
            "Halt podinfo.default advancement alb-5xx 5.00 > 1",
            "Rolling back podinfo.default failed checks threshold reached 2",
            "Canary failed! Scaling down podinfo.default");
    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.FAILED);
    assertThat(weights()).containsExactly(100, 0);
    assertThat(run.slackPosts).isNotEmpty();
  }
}
