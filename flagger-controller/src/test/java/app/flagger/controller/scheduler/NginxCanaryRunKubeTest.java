package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.ControllerConfig;
import app.flagger.controller.StandardComponents;
import app.flagger.controller.router.nginx.NginxFixtures;
import app.flagger.controller.router.nginx.NginxRouter;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.istio.HttpMatchRequest;
import app.flagger.model.provider.Provider;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An {@code nginx} Canary end to end on the mock API server: the NGINX router on the Ingress {@code
 * podinfo}, builtin NGINX metric checks against a Prometheus stub and alerts to a Slack stub, all
 * wired as in production by {@link StandardComponents}.
 */
@EnableKubernetesMockClient(crud = true)
class NginxCanaryRunKubeTest {
  private static final String WEIGHT = "nginx.ingress.kubernetes.io/canary-weight";

  KubernetesClient client;
  StandardRun run;

  /** NGINX's builtin duration is a mean in milliseconds, answered with the success rate stub. */
  @BeforeEach
  void setUp() throws Exception {
    run = new StandardRun(client, "100");
    client
        .network()
        .v1()
        .ingresses()
        .inNamespace(CanaryFixture.NS)
        .resource(NginxFixtures.ingress())
        .create();
  }

  @AfterEach
  void tearDown() throws Exception {
    run.close();
  }

  private CanarySpec spec(Integer stepWeight, Integer iterations, List<HttpMatchRequest> match) {
    CanarySpec s = run.spec("nginx", null, stepWeight, iterations, null, match);
    assertThat(s.ingressRef().name()).isEqualTo("podinfo");
    return s;
  }

  private void tick() {
    run.tick();
  }

  private Ingress canaryIngress() {
    return client
        .network()
        .v1()
        .ingresses()
        .inNamespace(CanaryFixture.NS)
        .withName("podinfo-canary")
        .get();
  }

  private Map<String, String> annotations() {
    return canaryIngress().getMetadata().getAnnotations();
  }

  private String weight() {
    return annotations().get(WEIGHT);
  }

  private List<String> queries() throws InterruptedException {
    List<String> queries = new ArrayList<>();
    for (int i = run.prometheus.getRequestCount(); i > 0; i--) {
      queries.add(run.prometheus.takeRequest().getUrl().queryParameter("query"));
    }
    return queries;
  }

  @Test
  void promotesWithHealthyMetricsThroughTheCanaryIngress() throws InterruptedException {
    run.initializeAndRollOut(spec(10, null, null));
    assertThat(weight()).isEqualTo("0");
    assertThat(annotations()).containsEntry("nginx.ingress.kubernetes.io/canary", "true");
    assertThat(
            canaryIngress()
                .getSpec()
                .getRules()
                .get(0)
                .getHttp()
                .getPaths()
                .get(0)
                .getBackend()
                .getService()
                .getName())
        .isEqualTo("podinfo-canary");
    // ticks 4..6: analysis passes, canary weight 10, 20, 30 (maxWeight)
    tick();
    assertThat(weight()).as(run.events.messages().toString()).isEqualTo("10");
    tick();
    assertThat(weight()).isEqualTo("20");
    tick();
    assertThat(weight()).isEqualTo("30");
    // tick 7: promotion; tick 8: Finalising; tick 9: Succeeded, everything on the primary
    tick();
    tick();
    tick();

    assertThat(run.events.messages()).containsSubsequence(StandardRun.PROMOTION_EVENTS);
    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(weight()).isEqualTo("0");
    assertThat(queries())
        .anySatisfy(
            q ->
                assertThat(q)
                    .contains("nginx_ingress_controller_requests")
                    .contains("ingress=\"podinfo\"")
                    .contains("namespace=\"default\""))
        .anySatisfy(
            q -> assertThat(q).contains("nginx_ingress_controller_response_duration_seconds_sum"));
  }

  @Test
  void rollsBackWhenTheSuccessRateIsTooLow() {
    run.initializeAndRollOut(spec(10, null, null));
    // tick 4: first step passes, weight 10
    tick();
    assertThat(weight()).isEqualTo("10");
    run.successRate = "98.69";
    // ticks 5, 6: the success rate fails twice, the weight stays
    tick();
    tick();
    assertThat(run.fixture.get().getStatus().failedChecks()).isEqualTo(2);
    assertThat(weight()).isEqualTo("10");
    // tick 7: threshold reached → rollback, everything back on the primary
    tick();

    assertThat(run.events.messages()).containsSubsequence(StandardRun.ROLLBACK_EVENTS);
    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.FAILED);
    assertThat(weight()).isEqualTo("0");
    assertThat(run.slackPosts).isNotEmpty();
  }

  /** A/B testing: the header annotations send insiders to the canary for two iterations. */
  @Test
  void abTestingRoutesTheHeaderToTheCanaryThenPromotes() {
    run.initializeAndRollOut(spec(null, 2, List.of(StandardRun.INSIDER)));

    List<Map<String, String>> seen = run.runToPromotion(this::annotations);

    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(seen)
        .as("during the run the canary Ingress matches the header")
        .anySatisfy(
            a ->
                assertThat(a)
                    .containsEntry("nginx.ingress.kubernetes.io/canary-by-header", "x-canary")
                    .containsEntry(
                        "nginx.ingress.kubernetes.io/canary-by-header-value", "insider"));
    assertThat(run.events.messages())
        .contains("Advance podinfo.default canary iteration 1/2")
        .contains("Promotion completed! Scaling down podinfo.default");
    assertThat(annotations())
        .as("after the promotion the match is gone and the weight is 0")
        .doesNotContainKey("nginx.ingress.kubernetes.io/canary-by-header")
        .containsEntry(WEIGHT, "0");
  }

  @Test
  void standardComponentsRegisterTheNginxRouterWithTheConfiguredPrefix() {
    assertThat(StandardComponents.routers(client).meshRouter(new Provider("nginx")))
        .isInstanceOf(NginxRouter.class);
    ControllerConfig config =
        ControllerConfig.from(
            Config.just(
                ConfigSources.create(
                    Map.of("flagger.ingress-annotations-prefix", "custom.ingress.io"))),
            Map.of());
    NginxRouter router =
        (NginxRouter) StandardComponents.routers(client, config).meshRouter(new Provider("nginx"));
    assertThat(router.builder().annotation("canary-weight"))
        .isEqualTo("custom.ingress.io/canary-weight");
  }
}
