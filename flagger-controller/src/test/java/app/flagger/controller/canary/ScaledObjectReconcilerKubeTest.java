package app.flagger.controller.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.ScaledObjectFixture;
import app.flagger.model.canary.AutoscalerReference;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ScaledObject reconciler on the mock API server with KEDA's CRD, step by step as Flagger's
 * {@code Test_reconcilePrimaryScaledObject}, {@code Test_pauseScaledObject} and {@code
 * Test_resumeScaledObject}.
 */
@EnableKubernetesMockClient(crud = true)
class ScaledObjectReconcilerKubeTest {
  private static final String NS = CanaryFixture.NS;

  KubernetesClient client;
  ScaledObjectReconciler reconciler;

  @BeforeEach
  void setUp() {
    ScaledObjectFixture.registerCrd(client);
    client.resource(ScaledObjectFixture.scaledObject(NS)).create();
    reconciler = new ScaledObjectReconciler(client, new Labels(List.of()));
  }

  private static Canary canary(AutoscalerReference ref) {
    Canary c = new Canary();
    c.setMetadata(
        new ObjectMetaBuilder()
            .withName(CanaryFixture.NAME)
            .withNamespace(NS)
            .withUid("uid-1")
            .build());
    c.setSpec(
        ScaledObjectFixture.withScaledObject(
            CanaryFixture.spec("kubernetes", CanaryAnalysis.EMPTY), ref));
    return c;
  }

  private GenericKubernetesResource get(String name) {
    return client
        .genericKubernetesResources(PrimaryScaledObjectBuilder.SCALED_OBJECTS)
        .inNamespace(NS)
        .withName(name)
        .get();
  }

  private void editTargetSpec(java.util.function.Consumer<Map<String, Object>> edit) {
    GenericKubernetesResource so = get("podinfo");
    edit.accept(PrimaryScaledObjectBuilder.spec(so));
    client.resource(so).update();
  }

  @SuppressWarnings("unchecked")
  private static String query(GenericKubernetesResource so) {
    List<Map<String, Object>> triggers =
        (List<Map<String, Object>>) PrimaryScaledObjectBuilder.spec(so).get("triggers");
    return (String) ((Map<String, Object>) triggers.get(0).get("metadata")).get("query");
  }

  @SuppressWarnings("unchecked")
  private static void setQuery(Map<String, Object> spec, String query) {
    List<Map<String, Object>> triggers = (List<Map<String, Object>>) spec.get("triggers");
    ((Map<String, Object>) triggers.get(0).get("metadata")).put("query", query);
  }

  @Test
  void createsThePrimaryAndUpdatesItOnlyWhenNotInitializing() {
    Canary canary = canary(ScaledObjectFixture.ref(null, null));

    reconciler.reconcilePrimaryScaler(canary, true);

    GenericKubernetesResource primary = get("podinfo-primary");
    assertThat(primary.getMetadata().getAnnotations())
        .containsEntry("scaledobject.keda.sh/transfer-hpa-ownership", "true");
    assertThat(primary.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-1"));
    Map<String, Object> spec = PrimaryScaledObjectBuilder.spec(primary);
    assertThat(spec.get("scaleTargetRef")).isEqualTo(Map.of("name", "podinfo-primary"));
    assertThat(spec.get("advanced"))
        .isEqualTo(Map.of("horizontalPodAutoscalerConfig", Map.of("name", "podinfo-primary")));
    assertThat(spec.get("pollingInterval")).isEqualTo(10);
    assertThat(spec.get("minReplicaCount")).isEqualTo(1);
    assertThat(query(primary)).isEqualTo(ScaledObjectFixture.QUERY_PRIMARY);

    editTargetSpec(
        s -> {
          s.put("pollingInterval", 20);
          setQuery(s, "sum(rate(http_requests_total{app=\"podinfo-canary\"}[10m]))");
        });
    reconciler.reconcilePrimaryScaler(canary, true);
    assertThat(PrimaryScaledObjectBuilder.spec(get("podinfo-primary")).get("pollingInterval"))
        .as("initialization creates only")
        .isEqualTo(10);

    reconciler.reconcilePrimaryScaler(canary, false);
    primary = get("podinfo-primary");
    assertThat(PrimaryScaledObjectBuilder.spec(primary).get("pollingInterval")).isEqualTo(20);
    assertThat(query(primary))
        .isEqualTo("sum(rate(http_requests_total{app=\"podinfo-primary\"}[10m]))");
    assertThat(primary.getMetadata().getAnnotations())
        .as("as Flagger, an update keeps only the annotations include-label-prefix selects")
        .isNullOrEmpty();

    reconciler.reconcilePrimaryScaler(
        canary(ScaledObjectFixture.ref(null, new AutoscalerReference.ScalerReplicas(2, 15))),
        false);
    spec = PrimaryScaledObjectBuilder.spec(get("podinfo-primary"));
    assertThat(spec.get("pollingInterval")).isEqualTo(20);
    assertThat(spec.get("minReplicaCount")).isEqualTo(2);
    assertThat(spec.get("maxReplicaCount")).isEqualTo(15);
  }

  @Test
  void anUnchangedPrimaryIsNotWritten() {
    Canary canary = canary(ScaledObjectFixture.ref(null, null));
    reconciler.reconcilePrimaryScaler(canary, true);
    String version = get("podinfo-primary").getMetadata().getResourceVersion();

    reconciler.reconcilePrimaryScaler(canary, false);

    assertThat(get("podinfo-primary").getMetadata().getResourceVersion()).isEqualTo(version);
  }

  @Test
  void pauseSetsPausedReplicasZeroAndResumeRemovesIt() {
    Canary canary = canary(ScaledObjectFixture.ref(null, null));

    reconciler.pauseTargetScaler(canary);
    assertThat(get("podinfo").getMetadata().getAnnotations())
        .containsEntry("autoscaling.keda.sh/paused-replicas", "0")
        .containsEntry("scaledobject.keda.sh/transfer-hpa-ownership", "true");
    String paused = get("podinfo").getMetadata().getResourceVersion();
    reconciler.pauseTargetScaler(canary);
    assertThat(get("podinfo").getMetadata().getResourceVersion())
        .as("pausing a paused ScaledObject writes nothing")
        .isEqualTo(paused);

    reconciler.resumeTargetScaler(canary);
    assertThat(get("podinfo").getMetadata().getAnnotations())
        .doesNotContainKey("autoscaling.keda.sh/paused-replicas")
        .containsEntry("scaledobject.keda.sh/transfer-hpa-ownership", "true");
    reconciler.resumeTargetScaler(canary);
  }

  @Test
  void minReplicasIsTheTargetsMinReplicaCount() {
    assertThat(reconciler.minReplicas(canary(ScaledObjectFixture.ref(null, null)))).isEqualTo(1);
    editTargetSpec(s -> s.put("minReplicaCount", 3));

    assertThat(reconciler.minReplicas(canary(ScaledObjectFixture.ref(null, null)))).isEqualTo(3);
  }

  @Test
  void aMissingScaledObjectFailsNamingIt() {
    Canary canary =
        canary(new AutoscalerReference("keda.sh/v1alpha1", "ScaledObject", "missing", null, null));

    assertThatThrownBy(() -> reconciler.reconcilePrimaryScaler(canary, true))
        .isInstanceOf(TargetException.class)
        .hasMessage(
            "Keda ScaledObject missing.default get query error:"
                + " scaledobjects.keda.sh \"missing\" not found");
    assertThatThrownBy(() -> reconciler.pauseTargetScaler(canary))
        .hasMessageStartingWith("Keda ScaledObject missing.default get query error");
    assertThatThrownBy(() -> reconciler.resumeTargetScaler(canary))
        .hasMessageStartingWith("Keda ScaledObject missing.default get query error");
    assertThat(reconciler.minReplicas(canary)).isZero();
  }

  @Test
  void theKindPicksTheReconciler() {
    ScalerReconcilers scalers =
        new ScalerReconcilers(new HpaReconciler(client, null, new Labels(List.of())), reconciler);

    assertThat(scalers.kinds()).containsExactlyInAnyOrderElementsOf(AutoscalerReference.KINDS);
    scalers.pauseTargetScaler(canary(ScaledObjectFixture.ref(null, null)));
    assertThat(get("podinfo").getMetadata().getAnnotations())
        .containsEntry("autoscaling.keda.sh/paused-replicas", "0");
    Canary hpa =
        canary(
            new AutoscalerReference(
                "autoscaling/v2", "HorizontalPodAutoscaler", "podinfo", null, null));
    scalers.pauseTargetScaler(hpa);
    scalers.resumeTargetScaler(hpa);
    Canary none = canary(null);
    scalers.reconcilePrimaryScaler(none, true);
    assertThat(scalers.minReplicas(none)).isZero();
    Canary vpa =
        canary(
            new AutoscalerReference(
                "autoscaling.k8s.io/v1", "VerticalPodAutoscaler", "p", null, null));
    assertThatThrownBy(() -> scalers.reconcilePrimaryScaler(vpa, true))
        .isInstanceOf(TargetException.class)
        .hasMessageStartingWith(
            "spec.autoscalerRef.kind: unknown autoscaler kind 'VerticalPodAutoscaler'");
  }
}
