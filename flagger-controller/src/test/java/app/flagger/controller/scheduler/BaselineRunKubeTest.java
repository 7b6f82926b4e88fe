package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A same-age baseline ({@code analysis.baseline: true}) through the whole controller on Istio: the
 * Deployment {@code podinfo-baseline} (the primary's spec, the canary's replicas) and the Service
 * {@code podinfo-baseline} exist while the analysis runs, take the canary's share of traffic from
 * the primary's, and are gone after promotion and after rollback.
 */
@EnableKubernetesMockClient(crud = true)
class BaselineRunKubeTest {
  private static final String BASELINE = "podinfo-baseline";
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

  /** {@link StandardRun#spec} on Istio (stepWeight 10, max 30) with a baseline. */
  private CanarySpec spec() {
    return StandardRun.withBaseline(run.spec("istio", null, 10, null, null, null));
  }

  /** Initialized, then a new revision with 3 replicas: the run starts (phase Progressing). */
  private void startRun() {
    run.createCanary(spec());
    run.tick();
    run.tick();
    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.INITIALIZED);
    assertThat(baseline()).isNull();
    newRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
    run.tick();
    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.PROGRESSING);
    run.events.clear();
  }

  private void newRevision(String image) {
    client
        .apps()
        .deployments()
        .inNamespace(CanaryFixture.NS)
        .withName(CanaryFixture.NAME)
        .edit(
            d -> {
              d.getSpec().setReplicas(3);
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
              return d;
            });
  }

  private Deployment baseline() {
    return client.apps().deployments().inNamespace(CanaryFixture.NS).withName(BASELINE).get();
  }

  private Service baselineService() {
    return client.services().inNamespace(CanaryFixture.NS).withName(BASELINE).get();
  }

  private GenericKubernetesResource destinationRule(String name) {
    return client
        .genericKubernetesResources(
            new ResourceDefinitionContext.Builder()
                .withGroup("networking.istio.io")
                .withVersion("v1beta1")
                .withKind("DestinationRule")
                .withPlural("destinationrules")
                .withNamespaced(true)
                .build())
        .inNamespace(CanaryFixture.NS)
        .withName(name)
        .get();
  }

  /** host to weight of the VirtualService's weighted route. */
  @SuppressWarnings("unchecked")
  private Map<String, Integer> weights() {
    GenericKubernetesResource vs =
        client
            .genericKubernetesResources(VIRTUAL_SERVICES)
            .inNamespace(CanaryFixture.NS)
            .withName("podinfo")
            .get();
    Map<String, Object> spec = (Map<String, Object>) vs.getAdditionalProperties().get("spec");
    List<Map<String, Object>> http = (List<Map<String, Object>>) spec.get("http");
    Map<String, Integer> out = new java.util.LinkedHashMap<>();
    for (Map<String, Object> d : (List<Map<String, Object>>) http.get(0).get("route")) {
      out.put(
          (String) ((Map<String, Object>) d.get("destination")).get("host"),
          ((Number) d.get("weight")).intValue());
    }
    return out;
  }

  @Test
  void theBaselineIsThePrimarysSpecWithTheCanarysReplicasAndBaselineLabels() {
    startRun();

    Deployment b = baseline();
    Deployment primary = run.fixture.primary();
    assertThat(b).isNotNull();
    assertThat(b.getSpec().getReplicas()).isEqualTo(3);
    assertThat(primary.getSpec().getReplicas()).isEqualTo(1);
    assertThat(b.getMetadata().getLabels()).containsEntry("app", BASELINE);
    assertThat(b.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of("app", BASELINE));
    assertThat(b.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("app", BASELINE);
    assertThat(b.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("ghcr.io/stefanprodan/podinfo:6.0.0")
        .isEqualTo(primary.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    assertThat(b.getSpec().getTemplate().getSpec().getVolumes().get(0).getConfigMap().getName())
        .isEqualTo("podinfo-config-vol-primary");
    OwnerReference owner = b.getMetadata().getOwnerReferences().get(0);
    assertThat(owner.getKind()).isEqualTo("Canary");
    assertThat(owner.getName()).isEqualTo(CanaryFixture.NAME);

    Service svc = baselineService();
    assertThat(svc.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(svc.getSpec().getSelector()).isEqualTo(Map.of("app", BASELINE));
    assertThat(svc.getSpec().getPorts().get(0).getPort()).isEqualTo(9898);
    assertThat(svc.getMetadata().getOwnerReferences().get(0).getName())
        .isEqualTo(CanaryFixture.NAME);
    assertThat(destinationRule(BASELINE)).isNotNull();
  }

  @Test
  void theBaselineTakesTheCanarysShareDuringTheAnalysisAndIsGoneAfterPromotion() {
    startRun();
    assertThat(weights()).isEqualTo(Map.of("podinfo-primary", 100, "podinfo-canary", 0));
    run.tick();
    assertThat(weights())
        .as(run.events.messages().toString())
        .isEqualTo(Map.of("podinfo-primary", 80, "podinfo-canary", 10, BASELINE, 10));
    run.tick();
    run.tick();
    assertThat(weights())
        .isEqualTo(Map.of("podinfo-primary", 40, "podinfo-canary", 30, BASELINE, 30));
    assertThat(run.fixture.get().getStatus().canaryWeight()).isEqualTo(30);
    assertThat(baseline()).isNotNull();
    // promotion, Finalising, Succeeded
    run.tick();
    run.tick();
    run.tick();

    assertThat(run.events.messages()).containsSubsequence(StandardRun.PROMOTION_EVENTS);
    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(weights()).isEqualTo(Map.of("podinfo-primary", 100, "podinfo-canary", 0));
    assertThat(baseline()).isNull();
    assertThat(baselineService()).isNull();
  }

  @Test
  void theBaselineIsGoneAfterARollback() {
    startRun();
    run.tick();
    assertThat(baseline()).isNotNull();
    run.successRate = "98.69";
    run.tick();
    run.tick();
    run.tick();

    assertThat(run.events.messages())
        .contains("Rolling back podinfo.default failed checks threshold reached 2");
    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.FAILED);
    assertThat(weights()).isEqualTo(Map.of("podinfo-primary", 100, "podinfo-canary", 0));
    assertThat(baseline()).isNull();
    assertThat(baselineService()).isNull();
  }

  @Test
  void anUnreadyBaselineHoldsTheAnalysisWithItsReadinessMessage() {
    startRun();
    run.deployments.markNotReady(BASELINE);
    run.tick();

    assertThat(run.events.messages())
        .contains(
            "baseline deployment podinfo-baseline.default not ready: waiting for rollout to"
                + " finish: 0 out of 3 new replicas have been updated");
    assertThat(run.fixture.get().getStatus().canaryWeight()).isZero();
    // the fake Deployment controller rolled it out after that tick: the analysis goes on
    run.tick();
    assertThat(run.fixture.get().getStatus().canaryWeight()).isEqualTo(10);
  }

  @Test
  void aNewRevisionDuringTheAnalysisRecreatesTheBaselineFresh() {
    startRun();
    run.tick();
    String before = baseline().getMetadata().getUid();
    newRevision("ghcr.io/stefanprodan/podinfo:6.0.2");
    run.tick();

    assertThat(run.events.messages())
        .contains("New revision detected! Restarting analysis for podinfo.default");
    assertThat(baseline().getMetadata().getUid()).isNotEqualTo(before);
    assertThat(baseline().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("ghcr.io/stefanprodan/podinfo:6.0.0");
    assertThat(weights()).isEqualTo(Map.of("podinfo-primary", 100, "podinfo-canary", 0));
  }
}
