package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.StandardComponents;
import app.flagger.controller.router.gloo.GlooFixtures;
import app.flagger.controller.router.gloo.GlooRouter;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.provider.Provider;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code gloo} Canary end to end on the mock API server (with only Gloo's Upstream and RouteTable
 * CRDs registered): the Gloo router, builtin Envoy metric checks against a Prometheus stub and
 * alerts to a Slack stub, all wired as in production by {@link StandardComponents}.
 */
@EnableKubernetesMockClient(crud = true)
class GlooCanaryRunKubeTest {
  KubernetesClient client;
  StandardRun run;

  /** Gloo's builtin duration query reads Envoy's milliseconds: 100 is 100ms. */
  @BeforeEach
  void setUp() throws Exception {
    GlooFixtures.registerCrds(client);
    run = new StandardRun(client, "100");
  }

  @AfterEach
  void tearDown() throws Exception {
    run.close();
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> routes() {
    Map<String, Object> spec =
        (Map<String, Object>)
            client
                .genericKubernetesResources(GlooRouter.ROUTE_TABLES)
                .inNamespace(CanaryFixture.NS)
                .withName("podinfo")
                .get()
                .getAdditionalProperties()
                .get("spec");
    return (List<Map<String, Object>>) spec.get("routes");
  }

  /** The weights of route {@code i}'s destinations: primary, canary (a left-out weight is 0). */
  @SuppressWarnings("unchecked")
  private static List<Integer> weights(List<Map<String, Object>> routes, int i) {
    Map<String, Object> multi =
        (Map<String, Object>) ((Map<String, Object>) routes.get(i).get("routeAction")).get("multi");
    return ((List<Map<String, Object>>) multi.get("destinations"))
        .stream().map(d -> d.get("weight") instanceof Number n ? n.intValue() : 0).toList();
  }

  private List<Integer> weights() {
    return weights(routes(), 0);
  }

  @Test
  void promotesWithHealthyMetricsThroughTheRouteTable() throws InterruptedException {
    run.initializeAndRollOut(run.spec("gloo", null, 10, null, null, null));

    run.promoteInThreeSteps(this::weights);

    assertThat(
            client
                .genericKubernetesResources(GlooRouter.UPSTREAMS)
                .inNamespace(CanaryFixture.NS)
                .list()
                .getItems())
        .extracting(u -> u.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "default-podinfo-primaryupstream-9898", "default-podinfo-canaryupstream-9898");
    // Gloo's Envoy cluster of the canary upstream: <upstream>_<namespace>
    assertThat(run.prometheusQueries())
        .anySatisfy(
            q ->
                assertThat(q)
                    .contains("envoy_cluster_upstream_rq{")
                    .contains(
                        "envoy_cluster_name=~\"default-podinfo-canaryupstream-[0-9a-zA-Z-]+"
                            + "_[0-9a-zA-Z-]+\""))
        .anySatisfy(q -> assertThat(q).contains("envoy_cluster_upstream_rq_time_bucket"));
  }

  @Test
  void rollsBackWhenTheSuccessRateIsTooLow() {
    run.initializeAndRollOut(run.spec("gloo", null, 10, null, null, null));

    run.rollBackAfterTwoFailedChecks(this::weights);
  }

  /** A/B testing: the header route sends insiders to the canary, everyone else stays on primary. */
  @Test
  void abTestingRoutesMatchedTrafficToTheCanaryThenPromotes() {
    run.createCanary(run.spec("gloo", null, null, 2, null, List.of(StandardRun.INSIDER)));
    run.initializeAndRollOut(null);

    List<List<Map<String, Object>>> seen = run.runToPromotion(this::routes);

    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(seen)
        .as("during the run, route 0 matches the header and sends it to the canary")
        .anySatisfy(
            routes -> {
              assertThat(routes).hasSize(2);
              assertThat(routes.get(0).get("matchers").toString())
                  .contains("name=x-canary, value=insider");
              assertThat(weights(routes, 0)).containsExactly(0, 100);
              assertThat(weights(routes, 1)).containsExactly(100, 0);
            });
    assertThat(run.events.messages())
        .contains("Advance podinfo.default canary iteration 1/2")
        .contains("Promotion completed! Scaling down podinfo.default");
    assertThat(weights()).containsExactly(100, 0);
  }

  @Test
  void standardComponentsRegisterTheGlooRouterForEveryGlooPrefix() {
    assertThat(StandardComponents.routers(client).meshRouter(new Provider("gloo")))
        .isInstanceOf(GlooRouter.class);
    assertThat(StandardComponents.routers(client).meshRouter(new Provider("gloo-edge")))
        .isInstanceOf(GlooRouter.class);
  }
}
