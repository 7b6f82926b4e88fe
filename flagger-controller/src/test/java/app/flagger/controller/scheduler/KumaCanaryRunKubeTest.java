package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.StandardComponents;
import app.flagger.controller.router.kuma.KumaFixtures;
import app.flagger.controller.router.kuma.KumaRouter;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.CanaryPhase;
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
 * A {@code kuma} Canary end to end on the mock API server (with only Kuma's TrafficRoute CRD
 * registered): the Kuma router, builtin Envoy metric checks against a Prometheus stub and alerts to
 * a Slack stub, all wired as in production by {@link StandardComponents}.
 */
@EnableKubernetesMockClient(crud = true)
class KumaCanaryRunKubeTest {
  KubernetesClient client;
  StandardRun run;

  /** Kuma's builtin duration query reads Envoy's milliseconds: 100 is 100ms. */
  @BeforeEach
  void setUp() throws Exception {
    KumaFixtures.registerCrd(client);
    run = new StandardRun(client, "100");
  }

  @AfterEach
  void tearDown() throws Exception {
    run.close();
  }

  private void tick() {
    run.tick();
  }

  private void initializeAndRollOut() {
    run.initializeAndRollOut(run.spec("kuma", null, 10, null, null, null));
  }

  private GenericKubernetesResource route() {
    return client.genericKubernetesResources(KumaRouter.TRAFFIC_ROUTES).withName("podinfo").get();
  }

  /** The split weights: primary, canary. */
  @SuppressWarnings("unchecked")
  private List<Object> weights() {
    Map<String, Object> spec = (Map<String, Object>) route().getAdditionalProperties().get("spec");
    List<Map<String, Object>> split =
        (List<Map<String, Object>>) ((Map<String, Object>) spec.get("conf")).get("split");
    return split.stream().map(s -> (Object) ((Number) s.get("weight")).intValue()).toList();
  }

  @Test
  void promotesWithHealthyMetricsThroughTheTrafficRoute() throws InterruptedException {
    initializeAndRollOut();
    assertThat(weights()).containsExactly(100, 0);
    assertThat(route().getAdditionalProperties()).containsEntry("mesh", "default");
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

    assertThat(run.events.messages()).containsSubsequence(StandardRun.PROMOTION_EVENTS);
    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(weights()).containsExactly(100, 0);
    List<String> queries = new ArrayList<>();
    for (int i = run.prometheus.getRequestCount(); i > 0; i--) {
      queries.add(run.prometheus.takeRequest().getUrl().queryParameter("query"));
    }
    assertThat(queries).anySatisfy(q -> assertThat(q).contains("podinfo-canary_default_svc_"));
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

  @Test
  void standardComponentsRegisterTheKumaRouter() {
    assertThat(StandardComponents.routers(client).meshRouter(new Provider("kuma")))
        .isInstanceOf(KumaRouter.class);
  }
}
