package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.StandardComponents;
import app.flagger.controller.router.traefik.TraefikFixtures;
import app.flagger.controller.router.traefik.TraefikRouter;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.provider.Provider;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code traefik} Canary end to end on the mock API server (with only Traefik's TraefikService
 * CRD registered): the Traefik router, builtin Traefik metric checks against a Prometheus stub and
 * alerts to a Slack stub, all wired as in production by {@link StandardComponents}.
 */
@EnableKubernetesMockClient(crud = true)
class TraefikCanaryRunKubeTest {
  KubernetesClient client;
  StandardRun run;

  /** Traefik's builtin duration query multiplies seconds by 1000: 100 is 100ms. */
  @BeforeEach
  void setUp() throws Exception {
    TraefikFixtures.registerCrd(client);
    run = new StandardRun(client, "100");
  }

  @AfterEach
  void tearDown() throws Exception {
    run.close();
  }

  /** The weights of the primary and canary entries; a canary without an entry has 0. */
  @SuppressWarnings("unchecked")
  private List<Integer> weights() {
    Map<String, Object> spec =
        (Map<String, Object>)
            client
                .genericKubernetesResources(TraefikRouter.TRAEFIK_SERVICES)
                .inNamespace(CanaryFixture.NS)
                .withName("podinfo")
                .get()
                .getAdditionalProperties()
                .get("spec");
    List<Map<String, Object>> services =
        (List<Map<String, Object>>) ((Map<String, Object>) spec.get("weighted")).get("services");
    assertThat(services.get(0)).containsEntry("name", "podinfo-primary");
    int primary = ((Number) services.get(0).get("weight")).intValue();
    int canary = services.size() > 1 ? ((Number) services.get(1).get("weight")).intValue() : 0;
    return List.of(primary, canary);
  }

  @Test
  void promotesWithHealthyMetricsThroughTheTraefikService() throws InterruptedException {
    run.initializeAndRollOut(run.spec("traefik", null, 10, null, null, null));

    run.promoteInThreeSteps(this::weights);

    // the builtin queries (the others are the provider's vector(1) probes)
    List<String> queries =
        run.prometheusQueries().stream()
            .filter(q -> q.contains("traefik_service_request_duration_seconds_bucket"))
            .toList();
    assertThat(queries)
        .anySatisfy(q -> assertThat(q).contains("code!~\"5..\""))
        .anySatisfy(q -> assertThat(q).contains("histogram_quantile"));
    // Traefik reports a weighted entry as <entry ns>-<entry name>-<port>@kubernetescrd
    int port = run.fixture.get().getSpec().service().port();
    Matcher selector = Pattern.compile("service=~\"([^\"]+)\"").matcher(queries.get(0));
    assertThat(selector.find()).isTrue();
    assertThat("default-podinfo-canary-" + port + "@kubernetescrd").matches(selector.group(1));
    assertThat("default-podinfo-primary-" + port + "@kubernetescrd")
        .doesNotMatch(selector.group(1));
  }

  @Test
  void rollsBackWhenTheSuccessRateIsTooLow() {
    run.initializeAndRollOut(run.spec("traefik", null, 10, null, null, null));

    run.rollBackAfterTwoFailedChecks(this::weights);
  }

  /**
   * Blue/green: two iterations on the primary, then all traffic (weight 0 written) to the canary.
   */
  @Test
  void blueGreenSwitchesAllTrafficToTheCanaryThenPromotes() {
    run.createCanary(run.spec("traefik", null, null, 2, null, null));
    run.initializeAndRollOut(null);

    List<List<Integer>> seen = run.runToPromotion(this::weights);

    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(seen).contains(List.of(0, 100));
    assertThat(run.events.messages())
        .contains("Advance podinfo.default canary iteration 2/2")
        .contains("Routing all traffic to canary")
        .contains("Promotion completed! Scaling down podinfo.default");
    assertThat(weights()).containsExactly(100, 0);
  }

  /**
   * A/B testing cannot run on a TraefikService: each tick fails naming analysis.match, after the
   * TraefikService is written with everything on the primary.
   */
  @Test
  void abTestingIsRefusedNamingTheField() {
    run.createCanary(run.spec("traefik", null, null, 2, null, List.of(StandardRun.INSIDER)));

    run.tick();
    run.tick();

    assertThat(run.events.messages())
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains(
                        "analysis.match of podinfo.default is not supported with the traefik"
                            + " provider"));
    assertThat(run.fixture.get().getStatus().phase()).isNotEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(weights()).as("the app stays reachable on the primary").containsExactly(100, 0);
  }

  @Test
  void standardComponentsRegisterTheTraefikRouter() {
    assertThat(StandardComponents.routers(client).meshRouter(new Provider("traefik")))
        .isInstanceOf(TraefikRouter.class);
  }
}
