package app.flagger.controller.router.traefik;

import app.flagger.controller.support.Crds;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;

/**
 * Canaries for the Traefik tests, written as users write them (Flagger's {@code newTestCanary}:
 * {@code podinfo.default} on port 9898), and the test CRD.
 */
public final class TraefikFixtures {
  private TraefikFixtures() {}

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** Registers the test TraefikService CRD (traefik.io/v1alpha1, namespaced) in the mock. */
  public static void registerCrd(KubernetesClient client) {
    Crds.registerResource(client, "/crds/traefik-traefikservices.yaml");
  }

  /** Flagger's progressive analysis: step 10 up to 50. */
  static final String PROGRESSIVE = "stepWeight: 10\nmaxWeight: 50";

  /**
   * A canary {@code podinfo.default} on {@code traefik}, service {@code serviceYaml}, analysis
   * threshold 10 plus {@code analysisYaml}.
   */
  static Canary canary(String serviceYaml, String analysisYaml) {
    String yaml =
        """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: podinfo
          namespace: default
          uid: 6f1c1d2e-0000-4000-8000-000000000007
        spec:
          provider: traefik
          targetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: podinfo
          service:
        %s
          analysis:
            threshold: 10
        %s
        """
            .formatted(block(serviceYaml), block(analysisYaml));
    return SERIALIZATION.unmarshal(yaml, Canary.class);
  }

  /** Flagger's newTestCanary on traefik: port 9898, progressive. */
  static Canary canary() {
    return canary("port: 9898", PROGRESSIVE);
  }

  /** Flagger's reconcile test canary: {@link #canary()} with apex label and annotation. */
  static Canary withApexMetadata() {
    return canary(
        """
        port: 9898
        apex:
          labels:
            test: label
          annotations:
            test: annotation
        """,
        PROGRESSIVE);
  }

  private static String block(String text) {
    return text.strip().isEmpty() ? "" : text.stripIndent().indent(4).stripTrailing();
  }

  /** A YAML document as maps and lists, numbers as Integers, as the API returns them. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(String yaml) {
    return SERIALIZATION.unmarshal(yaml, Map.class);
  }

  /** The {@code spec.weighted.services} of {@code service}. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> services(GenericKubernetesResource service) {
    return (List<Map<String, Object>>) TraefikServiceBuilder.services(TraefikRouter.spec(service));
  }

  /** The weights of the entries, in order (a left-out weight reads as null). */
  static List<Object> weights(GenericKubernetesResource service) {
    return services(service).stream().map(s -> s.get("weight")).toList();
  }
}
