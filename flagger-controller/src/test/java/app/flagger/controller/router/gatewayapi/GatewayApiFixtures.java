package app.flagger.controller.router.gatewayapi;

import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;

/** Canaries for the Gateway API tests, written as users write them (Flagger's test canary). */
final class GatewayApiFixtures {
  private GatewayApiFixtures() {}

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /**
   * Flagger's {@code newTestGatewayAPICanary} plus {@code serviceYaml} and {@code analysisYaml}.
   */
  static Canary canary(String serviceYaml, String analysisYaml) {
    String yaml =
        """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: podinfo
          namespace: default
          uid: 6f1c1d2e-0000-4000-8000-000000000002
        spec:
          provider: gatewayapi:v1
          targetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: podinfo
          service:
            name: podinfo
            port: 80
            portName: http
            targetPort: 9898
            portDiscovery: true
        %s
            timeout: 10s
            backendTimeout: 5s
        %s
          analysis:
            interval: 1m
            threshold: 10
            stepWeight: 10
            maxWeight: 50
        %s
        """
            .formatted(
                serviceYaml.contains("gatewayRefs:")
                    ? ""
                    : indent("gatewayRefs:\n  - name: podinfo", 4),
                indent(serviceYaml, 4),
                indent(analysisYaml, 4));
    return SERIALIZATION.unmarshal(yaml, Canary.class);
  }

  static Canary canary() {
    return canary("", "");
  }

  private static String indent(String text, int spaces) {
    return text.strip().isEmpty() ? "" : text.stripIndent().indent(spaces).stripTrailing();
  }

  /** Follows {@code path} (map keys and list indexes) from {@code root}. */
  @SuppressWarnings("unchecked")
  static <T> T at(Object root, Object... path) {
    Object cur = root;
    for (Object p : path) {
      cur =
          p instanceof Integer i ? ((List<Object>) cur).get(i) : ((Map<String, Object>) cur).get(p);
    }
    return (T) cur;
  }

  static Map<String, Object> backend(String name, int weight) {
    return Map.of("group", "", "kind", "Service", "name", name, "port", 80, "weight", weight);
  }
}
