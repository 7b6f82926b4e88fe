package app.flagger.controller.scheduler;

import static app.flagger.controller.router.appmesh.AppMeshFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.StandardComponents;
import app.flagger.controller.router.appmesh.AppMeshApi;
import app.flagger.controller.router.appmesh.AppMeshFixtures;
import app.flagger.controller.router.appmesh.AppMeshRouter;
import app.flagger.controller.router.appmesh.AppMeshV1beta2Router;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanaryService;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.istio.HttpMatchRequest;
import app.flagger.model.provider.Provider;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code appmesh:v1beta2} and {@code appmesh} Canaries end to end on the mock API server (with only
 * the App Mesh CRDs registered): the App Mesh routers, builtin App Mesh (Envoy) metric checks
 * against a Prometheus stub and alerts to a Slack stub, all wired as in production by {@link
 * StandardComponents}.
 */
@EnableKubernetesMockClient(crud = true)
class AppMeshCanaryRunKubeTest {
  private static final String V2 = "appmesh:v1beta2";

  KubernetesClient client;
  StandardRun run;

  /** The App Mesh builtin duration query reads Envoy's milliseconds: 100 is 100ms. */
  @BeforeEach
  void setUp() throws Exception {
    AppMeshFixtures.registerCrds(client);
    run = new StandardRun(client, "100");
  }

  @AfterEach
  void tearDown() throws Exception {
    run.close();
  }

  private void tick() {
    run.tick();
  }

  private CanarySpec spec(
      String provider, Integer stepWeight, Integer iterations, List<HttpMatchRequest> match) {
    return run.spec(provider, null, stepWeight, iterations, null, match);
  }

  /** The fixture's service (port 9898) with {@code meshName}, which v1beta1 needs. */
  private static CanaryService withMesh(String meshName) {
    CanaryService s = StandardRun.defaultService();
    return new CanaryService(
        s.name(),
        s.port(),
        s.portName(),
        s.targetPort(),
        s.appProtocol(),
        s.trafficDistribution(),
        s.portDiscovery(),
        s.headless(),
        s.timeout(),
        s.backendTimeout(),
        s.gateways(),
        s.gatewayRefs(),
        s.hosts(),
        s.delegation(),
        s.trafficPolicy(),
        s.match(),
        s.rewrite(),
        s.retries(),
        s.headers(),
        s.mirror(),
        s.corsPolicy(),
        meshName,
        s.backends(),
        s.apex(),
        s.primary(),
        s.canary(),
        s.unmanagedMetadata());
  }

  private GenericKubernetesResource object(
      io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext context, String name) {
    return client
        .genericKubernetesResources(context)
        .inNamespace(CanaryFixture.NS)
        .withName(name)
        .get();
  }

  private GenericKubernetesResource apexRouter() {
    return object(AppMeshApi.V1BETA2.virtualRouters(), "podinfo");
  }

  /** The split of {@code routes[0]}: primary, canary. */
  private static List<Object> weights(GenericKubernetesResource r, String httpKey) {
    List<?> targets = (List<?>) at(r, "routes", 0, httpKey, "action", "weightedTargets");
    Map<?, ?> canary = (Map<?, ?>) targets.get(0);
    Map<?, ?> primary = (Map<?, ?>) targets.get(1);
    return List.of(primary.get("weight"), canary.get("weight"));
  }

  private List<Object> weights() {
    return weights(apexRouter(), "httpRoute");
  }

  private List<String> queries() throws InterruptedException {
    List<String> queries = new ArrayList<>();
    for (int i = run.prometheus.getRequestCount(); i > 0; i--) {
      queries.add(run.prometheus.takeRequest().getUrl().queryParameter("query"));
    }
    return queries;
  }

  @Test
  void promotesWithHealthyMetricsThroughTheVirtualRouter() throws InterruptedException {
    run.initializeAndRollOut(spec(V2, 10, null, null));
    assertThat(weights()).containsExactly(100, 0);
    assertThat(object(AppMeshApi.V1BETA2.virtualNodes(), "podinfo-primary")).isNotNull();
    assertThat(object(AppMeshApi.V1BETA2.virtualServices(), "podinfo-canary")).isNotNull();
    // ticks 4..6: analysis passes, canary weight 10, 20, 30 (maxWeight)
    tick();
    assertThat(weights()).as(run.events.messages().toString()).containsExactly(90, 10);
    tick();
    assertThat(weights()).containsExactly(80, 20);
    tick();
    assertThat(weights()).containsExactly(70, 30);
    // tick 7: promotion; tick 8: Finalising; tick 9: Succeeded, everything on the primary
    tick();
    tick();
    tick();

    assertThat(run.events.messages())
        .containsSubsequence(
            "Starting canary analysis for podinfo.default",
            "Advance podinfo.default canary weight 10",
            "Advance podinfo.default canary weight 20",
            "Advance podinfo.default canary weight 30",
            "Copying podinfo.default template spec to podinfo-primary.default",
            "Promotion completed! Scaling down podinfo.default");
    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(weights()).containsExactly(100, 0);
    assertThat(queries())
        .as("the appmesh builtin queries")
        .anySatisfy(
            q ->
                assertThat(q)
                    .contains("envoy_cluster_upstream_rq{", "envoy_response_code!~\"5.*\"")
                    .contains("kubernetes_namespace=\"default\"")
                    .contains("kubernetes_pod_name=~\"podinfo-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\""))
        .anySatisfy(
            q ->
                assertThat(q)
                    .contains("histogram_quantile(0.99", "envoy_cluster_upstream_rq_time_bucket"));
  }

  @Test
  void rollsBackWhenTheSuccessRateIsTooLow() {
    run.initializeAndRollOut(spec(V2, 10, null, null));
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

    assertThat(run.events.messages())
        .containsSubsequence(
            "Advance podinfo.default canary weight 10",
            "Halt podinfo.default advancement success rate 98.69% < 99%",
            "Rolling back podinfo.default failed checks threshold reached 2",
            "Canary failed! Scaling down podinfo.default");
    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.FAILED);
    assertThat(weights()).containsExactly(100, 0);
    assertThat(run.slackPosts).isNotEmpty();
  }

  @Test
  void abTestingRoutesMatchedTrafficToTheCanaryThenPromotes() {
    run.initializeAndRollOut(spec(V2, null, 2, List.of(StandardRun.INSIDER)));

    List<GenericKubernetesResource> seen = run.runToPromotion(this::apexRouter);

    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(seen)
        .as("during the run, route a matches the header and sends it to the canary")
        .anySatisfy(
            vr -> {
              assertThat(at(vr, "routes", 0, "name")).isEqualTo("podinfo-a");
              assertThat(at(vr, "routes", 0, "httpRoute", "match", "headers").toString())
                  .contains("x-canary", "insider");
              assertThat(weights(vr, "httpRoute")).containsExactly(0, 100);
              assertThat(at(vr, "routes", 1, "httpRoute", "action", "weightedTargets").toString())
                  .contains("podinfo-primary")
                  .doesNotContain("podinfo-canary");
            });
    assertThat(run.events.messages())
        .contains("Advance podinfo.default canary iteration 1/2")
        .contains("Promotion completed! Scaling down podinfo.default");
    assertThat(weights()).containsExactly(100, 0);
  }

  /** The plain {@code appmesh} provider: the split lives on VirtualService podinfo.default. */
  @Test
  void v1beta1PromotesThroughTheVirtualService() {
    run.initializeAndRollOut(run.spec("appmesh", withMesh("global"), 10, null, null, null));
    GenericKubernetesResource vs = object(AppMeshApi.V1BETA1.virtualServices(), "podinfo.default");
    assertThat(at(vs, "meshName")).isEqualTo("global");
    assertThat(weights(vs, "http")).containsExactly(100, 0);

    List<GenericKubernetesResource> seen =
        run.runToPromotion(() -> object(AppMeshApi.V1BETA1.virtualServices(), "podinfo.default"));

    assertThat(seen.stream().map(r -> weights(r, "http")).toList())
        .startsWith(List.of(90, 10), List.of(80, 20), List.of(70, 30))
        .endsWith(List.of(100, 0));
    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
  }

  /**
   * The App Mesh objects come before the primary: when they cannot be reconciled (v1beta1 without a
   * mesh name) the primary is not created and the tick ends with a Warning naming the field.
   */
  @Test
  void theMeshObjectsAreReconciledBeforeThePrimaryIsCreated() {
    run.createCanary(spec("appmesh", 10, null, null));

    tick();

    assertThat(run.events.messages())
        .anySatisfy(m -> assertThat(m).startsWith("spec.service.meshName of podinfo.default"));
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(CanaryFixture.NS)
                .withName("podinfo-primary")
                .get())
        .isNull();
  }

  @Test
  void standardComponentsRegisterBothAppMeshRouters() {
    var routers = StandardComponents.routers(client);
    assertThat(routers.meshRouter(new Provider(V2))).isInstanceOf(AppMeshV1beta2Router.class);
    assertThat(routers.meshRouter(new Provider("appmesh"))).isInstanceOf(AppMeshRouter.class);
  }
}
