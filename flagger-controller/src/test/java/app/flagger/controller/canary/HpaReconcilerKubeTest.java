package app.flagger.controller.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.kube.InformerCache;
import app.flagger.controller.support.CacheSync;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.Crds;
import app.flagger.model.canary.AutoscalerReference;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The primary HPA on the mock API server: created at initialization from the target's HPA, aimed at
 * the primary Deployment, and brought in line with the target's only outside initialization
 * (Flagger's {@code reconcilePrimaryHpa}).
 */
@EnableKubernetesMockClient(crud = true)
class HpaReconcilerKubeTest {
  private static final String NS = CanaryFixture.NS;

  KubernetesClient client;
  InformerCache cache;
  HpaReconciler reconciler;

  @BeforeEach
  void setUp() {
    Crds.register(client);
    cache = new InformerCache(client, NS);
    cache.start();
    reconciler = new HpaReconciler(client, cache, new Labels(List.of()));
  }

  @AfterEach
  void tearDown() {
    CacheSync.awaitWatching(cache);
    cache.close();
  }

  private Canary canary(AutoscalerReference.ScalerReplicas replicas) {
    return new CanaryFixture(client)
        .create(
            CanaryFixture.withAutoscalerRef(
                CanaryFixture.spec("kubernetes", CanaryAnalysis.EMPTY),
                new AutoscalerReference(
                    "autoscaling/v2", "HorizontalPodAutoscaler", "podinfo", null, replicas)));
  }

  private void putTarget(int min, int max) {
    HorizontalPodAutoscaler hpa =
        new HorizontalPodAutoscalerBuilder()
            .withNewMetadata()
            .withName("podinfo")
            .withNamespace(NS)
            .addToLabels("team", "web")
            .endMetadata()
            .withNewSpec()
            .withMinReplicas(min)
            .withMaxReplicas(max)
            .withNewScaleTargetRef()
            .withApiVersion("apps/v1")
            .withKind("Deployment")
            .withName("podinfo")
            .endScaleTargetRef()
            .endSpec()
            .build();
    var hpas = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS);
    HorizontalPodAutoscaler existing = hpas.withName("podinfo").get();
    if (existing == null) {
      hpas.resource(hpa).create();
    } else {
      existing.setSpec(hpa.getSpec());
      hpas.resource(existing).update();
    }
  }

  private HorizontalPodAutoscaler primary() {
    return client
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace(NS)
        .withName("podinfo-primary")
        .get();
  }

  @Test
  void createsThePrimaryAimedAtThePrimaryDeploymentAndUpdatesItOnlyAfterInitialization() {
    putTarget(2, 4);
    Canary canary = canary(null);
    CacheSync.await(cache, client);

    reconciler.reconcilePrimaryScaler(canary, true);

    HorizontalPodAutoscaler primary = primary();
    assertThat(primary.getSpec().getScaleTargetRef().getName()).isEqualTo("podinfo-primary");
    assertThat(primary.getSpec().getMaxReplicas()).isEqualTo(4);
    assertThat(primary.getMetadata().getLabels()).containsEntry("team", "web");
    assertThat(primary.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("podinfo");

    putTarget(3, 6);
    CacheSync.await(cache, client);
    reconciler.reconcilePrimaryScaler(canary, true);
    assertThat(primary().getSpec().getMaxReplicas()).isEqualTo(4);

    reconciler.reconcilePrimaryScaler(canary, false);
    assertThat(primary().getSpec().getMinReplicas()).isEqualTo(3);
    assertThat(primary().getSpec().getMaxReplicas()).isEqualTo(6);
    assertThat(primary().getSpec().getScaleTargetRef().getName()).isEqualTo("podinfo-primary");
    assertThat(reconciler.minReplicas(canary)).isEqualTo(3);
  }

  @Test
  void primaryScalerReplicasOverrideTheTargetsBounds() {
    putTarget(2, 4);
    Canary canary = canary(new AutoscalerReference.ScalerReplicas(5, 10));
    CacheSync.await(cache, client);

    reconciler.reconcilePrimaryScaler(canary, true);

    assertThat(primary().getSpec().getMinReplicas()).isEqualTo(5);
    assertThat(primary().getSpec().getMaxReplicas()).isEqualTo(10);
  }

  @Test
  void aMissingTargetHpaIsAnErrorNamingIt() {
    Canary canary = canary(null);
    CacheSync.await(cache, client);

    assertThatThrownBy(() -> reconciler.reconcilePrimaryScaler(canary, true))
        .hasMessage("HorizontalPodAutoscaler podinfo." + NS + " get query error: not found");
  }
}
