package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.StandardComponents;
import app.flagger.controller.router.gatewayapi.GatewayApiCrds;
import app.flagger.controller.router.gatewayapi.GatewayApiRouter;
import app.flagger.controller.router.gatewayapi.HttpRouteBuilder.Version;
import app.flagger.controller.router.istio.IstioRouter;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanaryService;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.canary.ParentReference;
import app.flagger.model.istio.HttpMatchRequest;
import app.flagger.model.provider.Provider;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code gatewayapi:v1} Canary end to end on the mock API server (with only the HTTPRoute CRD of
 * the Gateway API registered): the Gateway API router, builtin metric checks against a Prometheus
 * stub and alerts to a Slack stub, all wired as in production by {@link StandardComponents}.
 */
@EnableKubernetesMockClient(crud = true)
class GatewayApiCanaryRunKubeTest {
  private static final ResourceDefinitionContext HTTP_ROUTES =
      GatewayApiRouter.httpRoutes(Version.V1);

  KubernetesClient client;
  StandardRun run;

  /** The Gateway API builtin duration query reads seconds: 0.1 is 100ms. */
  @BeforeEach
  void setUp() throws Exception {
    GatewayApiCrds.register(client);
    run = new StandardRun(client, "0.1");
  }

  @AfterEach
  void tearDown() throws Exception {
    run.close();
  }

  private void createCanary(CanarySpec spec) {
    run.createCanary(spec);
  }

  /** Progressive traffic: step 10 up to 30, threshold 2, a gateway and a host. */
  private CanarySpec spec() {
    return spec(10, null, null, null);
  }

  private CanarySpec spec(
      Integer stepWeight, Integer iterations, Boolean mirror, List<HttpMatchRequest> match) {
    CanaryService s = StandardRun.defaultService();
    CanaryService service =
        new CanaryService(
            s.name(),
            80,
            s.portName(),
            new IntOrString(9898),
            s.appProtocol(),
            s.trafficDistribution(),
            s.portDiscovery(),
            s.headless(),
            s.timeout(),
            s.backendTimeout(),
            s.gateways(),
            List.of(new ParentReference(null, null, "public", "gateway-system", null, null)),
            List.of("app.example.com"),
            s.delegation(),
            s.trafficPolicy(),
            s.match(),
            s.rewrite(),
            s.retries(),
            s.headers(),
            s.mirror(),
            s.corsPolicy(),
            s.meshName(),
            s.backends(),
            s.apex(),
            s.primary(),
            s.canary(),
            s.unmanagedMetadata());
    return run.spec("gatewayapi:v1", service, stepWeight, iterations, mirror, match);
  }

  private void tick() {
    run.tick();
  }

  private void initializeAndRollOut() {
    run.initializeAndRollOut(spec());
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> routeSpec() {
    GenericKubernetesResource r =
        client
            .genericKubernetesResources(HTTP_ROUTES)
            .inNamespace(CanaryFixture.NS)
            .withName("podinfo")
            .get();
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> rules() {
    return (List<Map<String, Object>>) routeSpec().get("rules");
  }

  /** The weights of the first rule's backendRefs: primary, canary. */
  @SuppressWarnings("unchecked")
  private List<Object> weights() {
    List<Map<String, Object>> refs = (List<Map<String, Object>>) rules().get(0).get("backendRefs");
    return refs.stream().map(r -> (Object) ((Number) r.get("weight")).intValue()).toList();
  }

  /** The name and weight of each backendRef of the first rule. */
  @SuppressWarnings("unchecked")
  private Map<Object, Object> backends() {
    Map<Object, Object> out = new java.util.LinkedHashMap<>();
    for (Map<String, Object> r : (List<Map<String, Object>>) rules().get(0).get("backendRefs")) {
      out.put(r.get("name"), ((Number) r.get("weight")).intValue());
    }
    return out;
  }

  /** A same-age baseline: a third backend with the canary's weight, gone after promotion. */
  @Test
  void promotesThroughAThreeWayHttpRouteWithABaseline() {
    run.initializeAndRollOut(StandardRun.withBaseline(spec()));
    assertThat(backends()).isEqualTo(Map.of("podinfo-primary", 100, "podinfo-canary", 0));
    assertThat(client.services().inNamespace(CanaryFixture.NS).withName("podinfo-baseline").get())
        .isNotNull();
    tick();
    assertThat(backends())
        .as(run.events.messages().toString())
        .isEqualTo(Map.of("podinfo-primary", 80, "podinfo-canary", 10, "podinfo-baseline", 10));
    tick();
    tick();
    assertThat(backends())
        .isEqualTo(Map.of("podinfo-primary", 40, "podinfo-canary", 30, "podinfo-baseline", 30));
    tick();
    tick();
    tick();

    assertThat(run.events.messages()).containsSubsequence(StandardRun.PROMOTION_EVENTS);
    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(backends()).isEqualTo(Map.of("podinfo-primary", 100, "podinfo-canary", 0));
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(CanaryFixture.NS)
                .withName("podinfo-baseline")
                .get())
        .isNull();
    assertThat(client.services().inNamespace(CanaryFixture.NS).withName("podinfo-baseline").get())
        .isNull();
  }

  @Test
  void promotesWithHealthyMetricsThroughTheHttpRoute() {
    initializeAndRollOut();
    assertThat(weights()).containsExactly(100, 0);
    assertThat(routeSpec().get("parentRefs").toString()).contains("public", "gateway-system");
    assertThat(routeSpec().get("hostnames")).isEqualTo(List.of("app.example.com"));
    // ticks 4..6: analysis passes, canary weight 10, 20, 30 (maxWeight)
    tick();
    assertThat(weights()).containsExactly(90, 10);
    tick();
    assertThat(weights()).as(run.events.messages().toString()).containsExactly(80, 20);
    tick();
    assertThat(weights()).containsExactly(70, 30);
    // tick 7: promotion; tick 8: Finalising; tick 9: Succeeded, everything on the primary
    tick();
    tick();
    tick();

    assertThat(run.events.messages()).containsSubsequence(StandardRun.PROMOTION_EVENTS);
    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(weights()).containsExactly(100, 0);
    assertThat(run.prometheus.getRequestCount()).isPositive();
  }

  @Test
  void rollsBackWhenTheSuccessRateIsTooLow() {
    initializeAndRollOut();
    // tick 4: first step passes, weight 10
    tick();
    assertThat(weights()).containsExactly(90, 10);
    run.successRate = "98.69";
    // ticks 5, 6: the success rate fails twice, the weight stays
    tick();
    tick();
    assertThat(run.fixture.get().getStatus().failedChecks()).isEqualTo(2);
    assertThat(weights()).containsExactly(90, 10);
    // tick 7: threshold reached → rollback, everything back on the primary
    tick();

    assertThat(run.events.messages()).containsSubsequence(StandardRun.ROLLBACK_EVENTS);
    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.FAILED);
    assertThat(weights()).containsExactly(100, 0);
    assertThat(run.slackPosts).isNotEmpty();
  }

  private List<List<Map<String, Object>>> runToPromotion() {
    return run.runToPromotion(this::rules);
  }

  /** A/B testing: the header match sends insiders to the canary for two iterations. */
  @Test
  void abTestingRoutesMatchedTrafficToTheCanaryThenPromotes() {
    createCanary(spec(null, 2, null, List.of(StandardRun.INSIDER)));
    initializeAndRollOut();

    List<List<Map<String, Object>>> seen = runToPromotion();

    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(seen)
        .as("during the run, rule 0 matches the header and sends it to the canary")
        .anySatisfy(
            rules -> {
              assertThat(rules).hasSize(2);
              assertThat(rules.get(0).get("matches").toString()).contains("x-canary", "insider");
              assertThat(rules.get(0).get("backendRefs").toString())
                  .contains("name=podinfo-canary, port=80, weight=100");
              assertThat(rules.get(1).get("backendRefs").toString())
                  .contains("podinfo-primary")
                  .doesNotContain("podinfo-canary");
            });
    assertThat(run.events.messages())
        .contains("Advance podinfo.default canary iteration 1/2")
        .contains("Promotion completed! Scaling down podinfo.default");
    assertThat(weights()).containsExactly(100, 0);
  }

  /** Blue/green with mirroring: the canary gets a copy of the traffic, then promotion. */
  @Test
  @SuppressWarnings("unchecked")
  void blueGreenWithMirroringMirrorsThenPromotes() {
    createCanary(spec(null, 2, true, null));
    initializeAndRollOut();

    List<List<Map<String, Object>>> seen = runToPromotion();

    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(seen)
        .as("during the run, the primary serves and the canary receives a mirror")
        .anySatisfy(
            rules ->
                assertThat(String.valueOf(rules.get(0).get("filters")))
                    .contains("RequestMirror", "podinfo-canary"));
    assertThat(run.events.messages()).contains("Promotion completed! Scaling down podinfo.default");
    assertThat(rules().get(0)).doesNotContainKey("filters");
  }

  @Test
  void standardComponentsRegisterTheGatewayApiRouters() {
    var routers = StandardComponents.routers(client);
    assertThat(routers.meshRouter(new Provider("gatewayapi:v1")))
        .isInstanceOfSatisfying(
            GatewayApiRouter.class, r -> assertThat(r.version()).isEqualTo(Version.V1));
    assertThat(routers.meshRouter(new Provider("gatewayapi:v1beta1")))
        .isInstanceOfSatisfying(
            GatewayApiRouter.class, r -> assertThat(r.version()).isEqualTo(Version.V1BETA1));
    assertThat(routers.meshRouter(new Provider("gatewayapi"))).isInstanceOf(IstioRouter.class);
  }
}
