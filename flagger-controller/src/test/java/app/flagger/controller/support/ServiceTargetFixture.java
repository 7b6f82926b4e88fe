package app.flagger.controller.support;

import app.flagger.model.canary.CanarySpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The podinfo Service as a Canary target ({@code targetRef.kind: Service}) and the specs that
 * target it.
 */
public final class ServiceTargetFixture {
  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private ServiceTargetFixture() {}

  /**
   * podinfo in {@link CanaryFixture#NS}: ClusterIP 10.96.0.10, selector {@code app: podinfo}, port
   * http 9898, ClientIP session affinity, two labels and three annotations (one kubectl's).
   */
  public static Service target() {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(CanaryFixture.NAME)
        .withNamespace(CanaryFixture.NS)
        .withLabels(Map.of("app", "podinfo", "team", "payments"))
        .withAnnotations(
            Map.of(LAST_APPLIED, "{\"kind\":\"Service\"}", "team/owner", "ops", "note", "hi"))
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withClusterIP("10.96.0.10")
        .withClusterIPs("10.96.0.10")
        .withSelector(Map.of("app", "podinfo"))
        .addNewPort()
        .withName("http")
        .withProtocol("TCP")
        .withPort(9898)
        .withTargetPort(new IntOrString("http"))
        .endPort()
        .withSessionAffinity("ClientIP")
        .endSpec()
        .build();
  }

  /**
   * {@code spec} targeting the podinfo Service ({@code apiVersion}, usually {@code v1}), without an
   * autoscaler, with {@code serviceFields} set on {@code spec.service} (JSON names and values).
   */
  @SuppressWarnings("unchecked")
  public static CanarySpec targetingService(
      CanarySpec spec, String apiVersion, Map<String, Object> serviceFields) {
    Map<String, Object> tree = new LinkedHashMap<>(JSON.convertValue(spec, Map.class));
    tree.put("targetRef", Map.of("apiVersion", apiVersion, "kind", "Service", "name", "podinfo"));
    tree.remove("autoscalerRef");
    Map<String, Object> service = new LinkedHashMap<>((Map<String, Object>) tree.get("service"));
    service.putAll(serviceFields);
    tree.put("service", service);
    return JSON.convertValue(tree, CanarySpec.class);
  }
}
