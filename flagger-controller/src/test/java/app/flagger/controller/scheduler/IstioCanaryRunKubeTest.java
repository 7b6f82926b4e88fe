package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.StandardComponents;
import app.flagger.controller.observe.CanarySeries;
import app.flagger.controller.router.istio.IstioRouter;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.istio.HttpMatchRequest;
import app.flagger.model.provider.Provider;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Flagger's most common setup end to end on the mock API server: the Istio router, builtin metric
 * checks against a Prometheus stub and alerts to a Slack stub, all wired as in production by {@link
 * StandardComponents}.
 */
@EnableKubernetesMockClient(crud = true)
class IstioCanaryRunKubeTest {
  private static final ResourceDefinitionContext VIRTUAL_SERVICES =
      new ResourceDefinitionContext.Builder()
          .withGroup("networking.istio.io")
          .withVersion("v1beta1")
          .withKind("VirtualService")
          .withPlural("virtualservices")
          .withNamespaced(true)
          .build();

  KubernetesClient client;
  StandardRun run;

  @BeforeEach
  void setUp() throws Exception {
    run = new StandardRun(client, "100");
  }

  @AfterEach
  void tearDown() throws Exception {
    run.close();
  }

  private void createCanary(CanarySpec spec) {
    run.createCanary(spec);
  }

  private CanarySpec spec() {
    return spec(10, null, null, null);
  }

  private CanarySpec spec(
      Integer stepWeight, Integer iterations, Boolean mirror, List<HttpMatchRequest> match) {
    return run.spec("istio", null, stepWeight, iterations, mirror, match);
  }

  private void tick() {
    run.tick();
  }

  private void initializeAndRollOut() {
    run.initializeAndRollOut(spec());
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> httpRoutes() {
    GenericKubernetesResource vs =
        client
            .genericKubernetesResources(VIRTUAL_SERVICES)
            .inNamespace(CanaryFixture.NS)
            .withName("podinfo")
            .get();
    Map<String, Object> spec = (Map<String, Object>) vs.getAdditionalProperties().get("spec");
    return (List<Map<String, Object>>) spec.get("http");
  }

  private List<List<Map<String, Object>>> runToPromotion() {
    return run.runToPromotion(this::httpRoutes);
  }

  private List<Object> canaryWeights() {
    return canaryWeights(client);
  }

  /** Primary and canary weight of podinfo's VirtualService's first HTTP route. */
  @SuppressWarnings("unchecked")
  static List<Object> canaryWeights(KubernetesClient client) {
    GenericKubernetesResource vs =
        client
            .genericKubernetesResources(VIRTUAL_SERVICES)
            .inNamespace(CanaryFixture.NS)
            .withName("podinfo")
            .get();
    Map<String, Object> spec = (Map<String, Object>) vs.getAdditionalProperties().get("spec");
    List<Map<String, Object>> http = (List<Map<String, Object>>) spec.get("http");
    List<Map<String, Object>> route = (List<Map<String, Object>>) http.get(0).get("route");
    return route.stream().map(r -> (Object) ((Number) r.get("weight")).intValue()).toList();
  }

  /** Healthy metrics: weights advance 10, 20, 30 on the VirtualService, then promotion. */
  @Test
  void promotesWithHealthyMetricsThroughTheIstioRouter() {
    initializeAndRollOut();
    // ticks 4..6: analysis passes, canary weight 10, 20, 30 (maxWeight)
    tick();
    assertThat(canaryWeights()).containsExactly(90, 10);
    tick();
    tick();
    assertThat(canaryWeights()).containsExactly(70, 30);
    // tick 7: promotion; tick 8: Finalising; tick 9: Succeeded
    tick();
    tick();
    tick();

    assertThat(run.events.messages()).containsSubsequence(StandardRun.PROMOTION_EVENTS);
    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(canaryWeights()).containsExactly(100, 0);
    assertThat(run.prometheus.getRequestCount()).isPositive();
  }

  /** Failing success rate: Flagger's Halt messages, failed checks up to 2, rollback, alert. */
  @Test
  void rollsBackAndAlertsWhenTheSuccessRateIsTooLow() {
    initializeAndRollOut();
    // tick 4: first step passes, weight 10
    tick();
    run.successRate = "98.69";
    // ticks 5, 6: the success rate fails twice
    tick();
    assertThat(run.fixture.get().getStatus().failedChecks()).isEqualTo(1);
    tick();
    assertThat(run.fixture.get().getStatus().failedChecks()).isEqualTo(2);
    // tick 7: threshold reached → rollback
    tick();

    assertThat(run.events.messages())
        .containsSubsequence(
            "Advance podinfo.default canary weight 10",
            "Halt podinfo.default advancement success rate 98.69% < 99%",
            "Halt podinfo.default advancement success rate 98.69% < 99%",
            "Rolling back podinfo.default failed checks threshold reached 2",
            "Canary failed! Scaling down podinfo.default");
    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.FAILED);
    assertThat(canaryWeights()).containsExactly(100, 0);
    assertThat(statusGauge()).as("flagger_canary_status of a failed canary").isEqualTo(2.0);
    assertThat(run.slackPosts).isNotEmpty();
    JsonObject post = run.slackPosts.get(run.slackPosts.size() - 1);
    assertThat(post.getString("channel")).isEqualTo("alerts");
    assertThat(post.getString("username")).isEqualTo("flagger");
    JsonObject attachment = post.getJsonArray("attachments").getJsonObject(0);
    assertThat(attachment.getString("color")).isEqualTo("danger");
    assertThat(attachment.getString("author_name")).isEqualTo("podinfo.default");
    assertThat(attachment.getString("text")).isEqualTo("Failed checks threshold reached 2");
  }

  /** A/B testing: the header match routes insiders to the canary for two iterations. */
  @Test
  void abTestingRoutesMatchedTrafficToTheCanaryThenPromotes() {
    createCanary(spec(null, 2, null, List.of(StandardRun.INSIDER)));
    initializeAndRollOut();

    List<List<Map<String, Object>>> seen = runToPromotion();

    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(seen)
        .as("during the run, route 0 matches the header and sends it to the canary")
        .anySatisfy(
            http -> {
              assertThat(http).hasSize(2);
              assertThat(http.get(0).get("match").toString()).contains("x-canary", "insider");
              assertThat(http.get(0).get("route").toString())
                  .contains("podinfo-canary", "weight=100");
            });
    assertThat(run.events.messages())
        .contains("Advance podinfo.default canary iteration 1/2")
        .contains("Promotion completed! Scaling down podinfo.default");
  }

  /** Blue/green with mirroring: the canary gets a copy of the traffic, then promotion. */
  @Test
  void blueGreenWithMirroringMirrorsThenPromotes() {
    createCanary(spec(null, 2, true, null));
    initializeAndRollOut();

    List<List<Map<String, Object>>> seen = runToPromotion();

    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(seen)
        .as("during the run, the primary serves and the canary receives a mirror")
        .anySatisfy(
            http -> assertThat(http.get(0).get("mirror").toString()).contains("podinfo-canary"));
    assertThat(run.events.messages()).contains("Promotion completed! Scaling down podinfo.default");
    assertThat(httpRoutes().get(0)).doesNotContainKey("mirror");
  }

  private double statusGauge() {
    return CanarySeries.shared().series("flagger_canary_status").stream()
        .filter(o -> "podinfo".equals(o.labels().get("name")))
        .filter(o -> CanaryFixture.NS.equals(o.labels().get("namespace")))
        .mapToDouble(CanarySeries.Observed::value)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no flagger_canary_status series for podinfo"));
  }

  @Test
  void standardComponentsRegisterTheIstioRouter() {
    assertThat(StandardComponents.routers(client).meshRouter(new Provider("istio")))
        .isInstanceOf(IstioRouter.class);
  }
}
