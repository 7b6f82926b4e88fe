package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.StandardComponents;
import app.flagger.controller.router.apisix.ApisixFixtures;
import app.flagger.controller.router.apisix.ApisixRouteBuilder;
import app.flagger.controller.router.apisix.ApisixRouter;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.common.LocalObjectReference;
import app.flagger.model.provider.Provider;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An {@code apisix} Canary end to end on the mock API server (with only the ApisixRoute CRD
 * registered and Flagger's test route {@code podinfo}): the APISIX router, builtin APISIX metric
 * checks against a Prometheus stub and alerts to a Slack stub, all wired as in production by {@link
 * StandardComponents}.
 */
@EnableKubernetesMockClient(crud = true)
class ApisixCanaryRunKubeTest {
  KubernetesClient client;
  StandardRun run;

  /** APISIX's builtin duration query reads its milliseconds histogram: 100 is 100ms. */
  @BeforeEach
  void setUp() throws Exception {
    ApisixFixtures.registerCrd(client);
    client
        .genericKubernetesResources(ApisixRouter.APISIX_ROUTES)
        .resource(
            ApisixFixtures.route(
                CanaryFixture.NS,
                "podinfo",
                """
                http:
                  - name: method
                    match: {paths: ["/*"]}
                    plugins:
                      - {name: prometheus, enable: true, config: {prefer_name: true}}
                    backends: [{serviceName: podinfo, servicePort: 9898}]
                """))
        .create();
    run = new StandardRun(client, "100");
  }

  @AfterEach
  void tearDown() throws Exception {
    run.close();
  }

  private List<Integer> weights() {
    return ApisixFixtures.weights(
        ApisixRouteBuilder.spec(
            client
                .genericKubernetesResources(ApisixRouter.APISIX_ROUTES)
                .inNamespace(CanaryFixture.NS)
                .withName("podinfo-podinfo-canary")
                .get()));
  }

  /** The run's progressive spec on apisix with routeRef {@code podinfo}. */
  private CanarySpec spec() {
    return spec(10, null);
  }

  /** The run's spec on apisix with routeRef {@code podinfo}: progressive or blue/green. */
  private CanarySpec spec(Integer stepWeight, Integer iterations) {
    CanarySpec s = run.spec("apisix", null, stepWeight, iterations, null, null);
    return new CanarySpec(
        s.provider(),
        s.metricsServer(),
        s.targetRef(),
        s.autoscalerRef(),
        s.ingressRef(),
        new LocalObjectReference("apisix.apache.org/v2", "ApisixRoute", "podinfo"),
        s.upstreamRef(),
        s.service(),
        s.analysis(),
        s.canaryAnalysis(),
        s.progressDeadlineSeconds(),
        s.skipAnalysis(),
        s.revertOnDeletion(),
        s.suspend());
  }

  @Test
  void promotesWithHealthyMetricsThroughTheCanaryRoute() throws InterruptedException {
    run.initializeAndRollOut(spec());

    run.promoteInThreeSteps(this::weights);

    // APISIX names the route of rule "method" of ApisixRoute podinfo-podinfo-canary
    // default_podinfo-podinfo-canary_method, which the builtin selector matches
    assertThat(run.prometheusQueries())
        .anySatisfy(
            q ->
                assertThat(q)
                    .contains("apisix_http_status{")
                    .contains("route=~\"default_podinfo-podinfo-canary_.+\""))
        .anySatisfy(q -> assertThat(q).contains("apisix_http_latency_bucket{type=~\"request\""));
    assertThat("default_podinfo-podinfo-canary_method")
        .matches("default_podinfo-podinfo-canary_.+");
  }

  @Test
  void rollsBackWhenTheSuccessRateIsTooLow() {
    run.initializeAndRollOut(spec());

    run.rollBackAfterTwoFailedChecks(this::weights);
  }

  /** Blue/green: no canary traffic during the iterations, the switch only at promotion. */
  @Test
  void blueGreenSwitchesTheWeightsThenPromotes() {
    run.createCanary(spec(null, 2));
    run.initializeAndRollOut(null);

    List<List<Integer>> seen = run.runToPromotion(this::weights);

    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(seen).allSatisfy(w -> assertThat(w).isIn(List.of(100, 0), List.of(0, 100)));
    assertThat(seen).contains(List.of(0, 100));
    assertThat(run.events.messages()).contains("Advance podinfo.default canary iteration 1/2");
    assertThat(weights()).containsExactly(100, 0);
  }

  @Test
  void standardComponentsRegisterTheApisixRouter() {
    assertThat(StandardComponents.routers(client).meshRouter(new Provider("apisix")))
        .isInstanceOf(ApisixRouter.class);
  }
}
