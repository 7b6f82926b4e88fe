package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.ControllerConfig;
import app.flagger.controller.StandardComponents;
import app.flagger.controller.router.contour.ContourFixtures;
import app.flagger.controller.router.contour.ContourRouter;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.provider.Provider;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code contour} Canary end to end on the mock API server (with only Contour's HTTPProxy CRD
 * registered): the Contour router, builtin Envoy metric checks against a Prometheus stub and alerts
 * to a Slack stub, all wired as in production by {@link StandardComponents}.
 */
@EnableKubernetesMockClient(crud = true)
class ContourCanaryRunKubeTest {
  KubernetesClient client;
  StandardRun run;

  /** Contour's builtin duration query reads Envoy's milliseconds: 100 is 100ms. */
  @BeforeEach
  void setUp() throws Exception {
    ContourFixtures.registerCrd(client);
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
                .genericKubernetesResources(ContourRouter.HTTP_PROXIES)
                .inNamespace(CanaryFixture.NS)
                .withName("podinfo")
                .get()
                .getAdditionalProperties()
                .get("spec");
    return (List<Map<String, Object>>) spec.get("routes");
  }

  /** The weights of route {@code i}'s services: primary, canary (a left-out weight is 0). */
  @SuppressWarnings("unchecked")
  private static List<Integer> weights(List<Map<String, Object>> routes, int i) {
    List<Map<String, Object>> services = (List<Map<String, Object>>) routes.get(i).get("services");
    return services.stream()
        .map(s -> s.get("weight") instanceof Number n ? n.intValue() : 0)
        .toList();
  }

  private List<Integer> weights() {
    return weights(routes(), 0);
  }

  @Test
  void promotesWithHealthyMetricsThroughTheHttpProxy() throws InterruptedException {
    run.initializeAndRollOut(run.spec("contour", null, 10, null, null, null));

    run.promoteInThreeSteps(this::weights);

    // Contour's Envoy stat name of the canary upstream: <namespace>_<apex>-canary_<port>
    assertThat(run.prometheusQueries())
        .anySatisfy(
            q ->
                assertThat(q)
                    .contains("envoy_cluster_upstream_rq{")
                    .contains("envoy_cluster_name=~\"default_podinfo-canary_[0-9a-zA-Z-]+\""))
        .anySatisfy(q -> assertThat(q).contains("envoy_cluster_upstream_rq_time_bucket"));
  }

  @Test
  void rollsBackWhenTheSuccessRateIsTooLow() {
    run.initializeAndRollOut(run.spec("contour", null, 10, null, null, null));

    run.rollBackAfterTwoFailedChecks(this::weights);
  }

  /** A/B testing: the header route sends insiders to the canary for two iterations. */
  @Test
  void abTestingRoutesMatchedTrafficToTheCanaryThenPromotes() {
    run.createCanary(run.spec("contour", null, null, 2, null, List.of(StandardRun.INSIDER)));
    run.initializeAndRollOut(null);

    List<List<Map<String, Object>>> seen = run.runToPromotion(this::routes);

    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(seen)
        .as("during the run, route 0 matches the header and sends it to the canary")
        .anySatisfy(
            routes -> {
              assertThat(routes).hasSize(2);
              assertThat(routes.get(0).get("conditions").toString())
                  .contains("name=x-canary, exact=insider");
              assertThat(weights(routes, 0)).containsExactly(0, 100);
              assertThat(weights(routes, 1)).containsExactly(100, 0);
            });
    assertThat(run.events.messages())
        .contains("Advance podinfo.default canary iteration 1/2")
        .contains("Promotion completed! Scaling down podinfo.default");
    assertThat(weights()).containsExactly(100, 0);
  }

  @Test
  void standardComponentsRegisterTheContourRouterWithTheIngressClass() {
    ControllerConfig config =
        ControllerConfig.from(
            Config.just(ConfigSources.create(Map.of("flagger.ingress-class", "contour"))),
            Map.of());

    assertThat(StandardComponents.routers(client, config).meshRouter(new Provider("contour")))
        .isInstanceOfSatisfying(
            ContourRouter.class, r -> assertThat(r.ingressClass()).isEqualTo("contour"));
    assertThat(StandardComponents.routers(client).meshRouter(new Provider("contour")))
        .isInstanceOfSatisfying(ContourRouter.class, r -> assertThat(r.ingressClass()).isEmpty());
  }
}
