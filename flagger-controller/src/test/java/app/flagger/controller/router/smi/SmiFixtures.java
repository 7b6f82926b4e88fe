package app.flagger.controller.router.smi;

import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.Map;

/** Canaries for the SMI tests, written as users write them (Flagger's {@code newTestSMICanary}). */
final class SmiFixtures {
  private SmiFixtures() {}

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** Flagger's SMI test Canary with {@code serviceYaml} added to {@code spec.service}. */
  static Canary canary(String serviceYaml) {
    return canary(serviceYaml, "");
  }

  /** ... and {@code analysisYaml} added to {@code spec.analysis}. */
  static Canary canary(String serviceYaml, String analysisYaml) {
    String yaml =
        """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: podinfo
          namespace: default
          uid: 6f1c1d2e-0000-4000-8000-000000000003
        spec:
          provider: linkerd
          targetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: podinfo
          service:
        %s
            port: 80
            portName: http
            targetPort: 9898
            portDiscovery: true
        %s
          analysis:
            threshold: 10
            stepWeight: 10
            maxWeight: 50
        %s
        """
            .formatted(
                serviceYaml.contains("name:") ? "" : indent("name: podinfo", 4),
                indent(serviceYaml, 4),
                indent(analysisYaml, 4));
    return SERIALIZATION.unmarshal(yaml, Canary.class);
  }

  static Canary canary() {
    return canary("");
  }

  private static String indent(String text, int spaces) {
    return text.strip().isEmpty() ? "" : text.stripIndent().indent(spaces).stripTrailing();
  }

  static Map<String, Object> backend(String service, Object weight) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("service", service);
    b.put("weight", weight);
    return b;
  }
}
