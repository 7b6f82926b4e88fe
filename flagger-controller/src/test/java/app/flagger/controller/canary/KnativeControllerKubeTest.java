package app.flagger.controller.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.kube.KnativeServices;
import app.flagger.controller.router.knative.KnativeFixtures;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanaryStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Flagger's knative_controller_test.go cases and more, with Knative's CRDs registered. */
@EnableKubernetesMockClient(crud = true)
class KnativeControllerKubeTest {
  KubernetesClient client;
  KnativeFixtures knative;
  KnativeController controller;

  @BeforeEach
  void setUp() {
    KnativeFixtures.registerCrds(client);
    knative = new KnativeFixtures(client, "default", "podinfo").create("podinfo:6.0.0");
    controller = new KnativeController(new KnativeServices(client));
  }

  private static Canary canary(CanaryPhase phase, String lastAppliedSpec) {
    Canary c = KnativeFixtures.canary("default", "podinfo");
    c.setStatus(
        new CanaryStatus(
            phase, 0, 0, 0, null, lastAppliedSpec, null, null, null, null, null, null, null, null));
    return c;
  }

  @Test
  void initializeOnlyWhileInitializingPinsAllTrafficToTheLatestCreatedRevision() {
    assertThat(controller.initialize(canary(CanaryPhase.PROMOTING, null), false))
        .isEqualTo(Readiness.READY);
    GenericKubernetesResource untouched = knative.service();
    assertThat(untouched.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(KnativeServices.specTraffic(untouched)).isEmpty();

    assertThat(controller.initialize(canary(CanaryPhase.INITIALIZING, null), false))
        .isEqualTo(Readiness.READY);

    GenericKubernetesResource svc = knative.service();
    assertThat(KnativeServices.primaryRevision(svc)).isEqualTo("podinfo-00001");
    assertThat(KnativeServices.specTraffic(svc))
        .containsExactly(
            Map.of("latestRevision", true, "percent", 0),
            Map.of("revisionName", "podinfo-00001", "percent", 100));
    assertThat(KnativeFixtures.spec(svc)).containsKey("template");
  }

  @Test
  void initializeWaitsWhileKnativeHasCreatedNoRevision() {
    new KnativeFixtures(client, "default", "fresh").createUnreconciled("podinfo:6.0.0");
    Canary c = KnativeFixtures.canary("default", "fresh");

    assertThat(controller.initialize(c, false))
        .isEqualTo(
            new Readiness.NotReady(
                true, "Knative Service fresh.default has no created revision yet"));
  }

  @Test
  void promoteMovesThePrimaryRevisionToTheLatestCreatedRevision() {
    controller.initialize(canary(CanaryPhase.NONE, null), false);
    knative.release("podinfo:6.0.1");
    knative.reconcile();

    controller.promote(canary(CanaryPhase.PROMOTING, null));

    assertThat(KnativeServices.primaryRevision(knative.service())).isEqualTo("podinfo-00002");
  }

  @Test
  void aNewLatestCreatedRevisionIsAChange() {
    controller.initialize(canary(CanaryPhase.NONE, null), false);
    Canary c = canary(CanaryPhase.INITIALIZED, SpecHash.of("podinfo-00001"));
    assertThat(controller.targetHash(c)).isEqualTo(SpecHash.of("podinfo-00001"));
    assertThat(controller.hasTargetChanged(c)).isFalse();

    knative.release("podinfo:6.0.1");
    knative.reconcile();

    assertThat(controller.hasTargetChanged(c)).isTrue();
  }

  @Test
  void readinessIsTheReadyConditionOfTheRevisions() {
    Canary c = canary(CanaryPhase.NONE, null);
    assertThat(controller.isPrimaryReady(c))
        .isEqualTo(
            new Readiness.NotReady(
                true, "Knative Service podinfo.default primary revision annotation not found"));
    controller.initialize(c, false);
    assertThat(controller.isPrimaryReady(c)).isEqualTo(Readiness.READY);
    assertThat(controller.isCanaryReady(c)).isEqualTo(Readiness.READY);

    knative.createRevision("podinfo-00002", Map.of(), false);
    knative.setLatestCreatedRevision("podinfo-00002");

    assertThat(controller.isPrimaryReady(c)).isEqualTo(Readiness.READY);
    assertThat(controller.isCanaryReady(c))
        .isEqualTo(
            new Readiness.NotReady(true, "Knative Revision podinfo-00002.default is not ready"));
    knative.setLatestCreatedRevision("podinfo-00009");
    assertThat(controller.isCanaryReady(c))
        .isEqualTo(
            new Readiness.NotReady(
                true,
                "Knative Revision podinfo-00009.default get query error:"
                    + " revisions.serving.knative.dev \"podinfo-00009\" not found"));
  }

  @Test
  void noMetadataNoConfigsAndScalingAndFinalizeDoNothing() {
    Canary c = canary(CanaryPhase.SUCCEEDED, null);
    String version = knative.service().getMetadata().getResourceVersion();

    assertThat(controller.metadata(c)).isEqualTo(new TargetMetadata("", "", Map.of()));
    assertThat(controller.trackedConfigs(c)).isEmpty();
    assertThat(controller.haveDependenciesChanged(c)).isFalse();
    controller.scaleToZero(c);
    controller.scaleFromZero(c);
    assertThat(controller.finalize(c)).isEqualTo(Readiness.READY);

    assertThat(knative.service().getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(
            client
                .genericKubernetesResources(KnativeServices.REVISIONS)
                .inNamespace("default")
                .list()
                .getItems())
        .hasSize(1);
  }

  @Test
  void aMissingServiceIsNamed() {
    Canary c = KnativeFixtures.canary("default", "missing");

    assertThatThrownBy(() -> controller.promote(c))
        .isInstanceOf(TargetException.class)
        .hasMessage(
            "Knative Service missing.default get query error: services.serving.knative.dev"
                + " \"missing\" not found");
    assertThatThrownBy(() -> controller.hasTargetChanged(c)).isInstanceOf(TargetException.class);
  }
}
