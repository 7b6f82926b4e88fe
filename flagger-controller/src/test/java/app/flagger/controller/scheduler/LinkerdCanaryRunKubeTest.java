package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.StandardComponents;
import app.flagger.controller.router.istio.IstioRouter;
import app.flagger.controller.router.smi.SmiCrds;
import app.flagger.controller.router.smi.SmiRouter;
import app.flagger.controller.router.smi.TrafficSplitBuilder.Version;
import app.flagger.controller.support.CanaryFixture;
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
 * A {@code linkerd} Canary end to end on the mock API server (with only the SMI TrafficSplit CRD
 * registered): the SMI router on {@code split.smi-spec.io/v1alpha1}, Linkerd's builtin metric
 * checks against a Prometheus stub and alerts to a Slack stub, all wired as in production by {@link
 * StandardComponents}.
 */
@EnableKubernetesMockClient(crud = true)
class LinkerdCanaryRunKubeTest {
  KubernetesClient client;
  StandardRun run;

  /** Linkerd's builtin duration query reads response_latency_ms: 100 is 100ms. */
  @BeforeEach
  void setUp() throws Exception {
    SmiCrds.register(client);
    run = new StandardRun(client, "100");
  }

  @AfterEach
  void tearDown() throws Exception {
    run.close();
  }

  private void tick() {
    run.tick();
  }

  /** Progressive traffic: step 10 up to 30, threshold 2. */
  private void initializeAndRollOut() {
    run.initializeAndRollOut(run.spec("linkerd", null, 10, null, null, null));
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> splitSpec() {
    GenericKubernetesResource ts =
        client
            .genericKubernetesResources(SmiRouter.trafficSplits(Version.V1ALPHA1))
            .inNamespace(CanaryFixture.NS)
            .withName("podinfo")
            .get();
    return (Map<String, Object>) ts.getAdditionalProperties().get("spec");
  }

  /** The backends as {@code service=weight}, canary first as Flagger writes them. */
  @SuppressWarnings("unchecked")
  private List<String> backends() {
    return ((List<Map<String, Object>>) splitSpec().get("backends"))
        .stream().map(b -> b.get("service") + "=" + b.get("weight")).toList();
  }

  private static List<String> weights(int primary, int canary) {
    return List.of("podinfo-canary=" + canary, "podinfo-primary=" + primary);
  }

  @Test
  void promotesWithHealthyMetricsThroughTheTrafficSplit() throws InterruptedException {
    initializeAndRollOut();
    assertThat(splitSpec()).containsEntry("service", "podinfo");
    assertThat(backends()).isEqualTo(weights(100, 0));
    // ticks 4..6: analysis passes, canary weight 10, 20, 30 (maxWeight)
    tick();
    assertThat(backends()).as(run.events.messages().toString()).isEqualTo(weights(90, 10));
    tick();
    assertThat(backends()).isEqualTo(weights(80, 20));
    tick();
    assertThat(backends()).isEqualTo(weights(70, 30));
    // tick 7: promotion; tick 8: Finalising; tick 9: Succeeded, everything on the primary
    tick();
    tick();
    tick();

    assertThat(run.events.messages()).containsSubsequence(StandardRun.PROMOTION_EVENTS);
    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(backends()).isEqualTo(weights(100, 0));
    List<String> queries = new ArrayList<>();
    for (int i = run.prometheus.getRequestCount(); i > 0; i--) {
      queries.add(run.prometheus.takeRequest().getUrl().queryParameter("query"));
    }
    assertThat(queries).as("Linkerd's builtin queries").anyMatch(q -> q.contains("response_total"));
  }

  @Test
  void rollsBackWhenTheSuccessRateIsTooLow() {
    initializeAndRollOut();
    // tick 4: first step passes, weight 10
    tick();
    assertThat(backends()).isEqualTo(weights(90, 10));
    run.successRate = "98.69";
    // ticks 5, 6: the success rate fails twice, the weight stays
    tick();
    tick();
    assertThat(run.fixture.get().getStatus().failedChecks()).isEqualTo(2);
    assertThat(backends()).isEqualTo(weights(90, 10));
    // tick 7: threshold reached → rollback, everything back on the primary
    tick();

    assertThat(run.events.messages()).containsSubsequence(StandardRun.ROLLBACK_EVENTS);
    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.FAILED);
    assertThat(backends()).isEqualTo(weights(100, 0));
    assertThat(run.slackPosts).isNotEmpty();
  }

  @Test
  void standardComponentsRegisterTheTrafficSplitRoutersAsFlaggersFactory() {
    var routers = StandardComponents.routers(client);
    assertThat(routers.meshRouter(new Provider("linkerd")))
        .isInstanceOfSatisfying(
            SmiRouter.class, r -> assertThat(r.version()).isEqualTo(Version.V1ALPHA1));
    assertThat(routers.meshRouter(new Provider("osm")))
        .isInstanceOfSatisfying(
            SmiRouter.class, r -> assertThat(r.version()).isEqualTo(Version.V1ALPHA2));
    assertThat(routers.meshRouter(new Provider("smi:v1alpha1")))
        .isInstanceOfSatisfying(
            SmiRouter.class, r -> assertThat(r.version()).isEqualTo(Version.V1ALPHA1));
    assertThat(routers.meshRouter(new Provider("smi:v1alpha2:linkerd")))
        .isInstanceOfSatisfying(
            SmiRouter.class, r -> assertThat(r.version()).isEqualTo(Version.V1ALPHA2));
    assertThat(routers.meshRouter(new Provider("smi:v1alpha3:istio")))
        .isInstanceOfSatisfying(
            SmiRouter.class,
            r -> {
              assertThat(r.version()).isEqualTo(Version.V1ALPHA3);
              assertThat(r.targetMesh()).isEqualTo("istio");
            });
    assertThat(routers.meshRouter(new Provider("istio"))).isInstanceOf(IstioRouter.class);
  }
}
