package app.flagger.controller.support;

import app.flagger.controller.canary.PrimaryScaledObjectBuilder;
import app.flagger.model.canary.AutoscalerReference;
import app.flagger.model.canary.CanarySpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * KEDA ScaledObjects on the mock API server: the CRD, and the target ScaledObject of Flagger's
 * {@code scaler_reconciler_fixture_test.go} ({@code newScaledObject}).
 */
public final class ScaledObjectFixture {
  public static final String QUERY_CANARY =
      "sum(rate(http_requests_total{app=\"podinfo-canary\"}[2m]))";
  public static final String QUERY_PRIMARY =
      "sum(rate(http_requests_total{app=\"podinfo-primary\"}[2m]))";

  private ScaledObjectFixture() {}

  public static void registerCrd(KubernetesClient client) {
    Crds.registerResource(client, "/crds/keda-scaledobjects.yaml");
  }

  /**
   * Flagger's {@code newScaledObject}: {@code podinfo} aimed at the podinfo Deployment, the HPA
   * ownership transfer annotation, HPA name {@code podinfo}, polling 10, replicas 1..4, one
   * Prometheus trigger on the canary's requests.
   */
  public static GenericKubernetesResource scaledObject(String ns) {
    GenericKubernetesResource so = new GenericKubernetesResource();
    so.setApiVersion(PrimaryScaledObjectBuilder.API_VERSION);
    so.setKind(PrimaryScaledObjectBuilder.KIND);
    so.setMetadata(
        new ObjectMetaBuilder()
            .withName(CanaryFixture.NAME)
            .withNamespace(ns)
            .withAnnotations(Map.of("scaledobject.keda.sh/transfer-hpa-ownership", "true"))
            .build());
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("serverAddress", "http://flagger-prometheus.projectcontour:9090");
    metadata.put("metricName", "http_requests_total");
    metadata.put("query", QUERY_CANARY);
    metadata.put("threshold", "100");
    Map<String, Object> trigger = new LinkedHashMap<>();
    trigger.put("type", "prometheus");
    trigger.put("metricType", "AverageValue");
    trigger.put("metadata", metadata);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("scaleTargetRef", new LinkedHashMap<>(Map.of("name", CanaryFixture.NAME)));
    spec.put(
        "advanced",
        new LinkedHashMap<>(
            Map.of(
                "horizontalPodAutoscalerConfig",
                new LinkedHashMap<>(Map.of("name", CanaryFixture.NAME)))));
    spec.put("pollingInterval", 10);
    spec.put("minReplicaCount", 1);
    spec.put("maxReplicaCount", 4);
    spec.put("triggers", List.of(trigger));
    so.setAdditionalProperty("spec", spec);
    return so;
  }

  /** {@code spec} with {@code autoscalerRef} set to the ScaledObject {@code ref}. */
  public static CanarySpec withScaledObject(CanarySpec s, AutoscalerReference ref) {
    return CanaryFixture.withAutoscalerRef(s, ref);
  }

  /** {@code autoscalerRef: {apiVersion: keda.sh/v1alpha1, kind: ScaledObject, name: podinfo}}. */
  public static AutoscalerReference ref(
      Map<String, String> primaryScalerQueries, AutoscalerReference.ScalerReplicas replicas) {
    return new AutoscalerReference(
        PrimaryScaledObjectBuilder.API_VERSION,
        PrimaryScaledObjectBuilder.KIND,
        CanaryFixture.NAME,
        primaryScalerQueries,
        replicas);
  }
}
