package app.flagger.controller.router.contour;

import app.flagger.controller.support.Crds;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;

/**
 * Canaries for the Contour tests, written as users write them: Flagger's {@code newTestCanary} (the
 * fields its Contour router reads) and {@code newTestABTest}'s match, and the test CRD.
 */
public final class ContourFixtures {
  private ContourFixtures() {}

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** Registers the test HTTPProxy CRD (projectcontour.io/v1, status subresource) in the mock. */
  public static void registerCrd(KubernetesClient client) {
    Crds.registerResource(client, "/crds/contour-httpproxies.yaml");
  }

  /**
   * The fields of Flagger's {@code newTestCanary} service that its Contour router reads: the match
   * on URI prefix {@code /podinfo} and retries 10 × 30s on connect-failure and gateway-error.
   */
  static final String FLAGGER_SERVICE =
      """
      portDiscovery: true
      appProtocol: http
      match:
        - name: podinfo
          uri:
            prefix: /podinfo
          method:
            exact: GET
          ignoreUriCase: true
      retries:
        attempts: 10
        perTryTimeout: 30s
        retryOn: connect-failure,gateway-error
      """;

  /** Flagger's progressive analysis: step 10 up to 50. */
  static final String PROGRESSIVE = "stepWeight: 10\nmaxWeight: 50";

  /** Flagger's newTestABTest analysis: 5 iterations on {@code x-user-type: test}. */
  static final String AB_TEST =
      """
      iterations: 5
      match:
        - headers:
            x-user-type:
              exact: test
      """;

  /**
   * A canary {@code podinfo.default} on {@code contour}, service {@code serviceYaml} (port 9898
   * unless it sets one), analysis threshold 10 plus {@code analysisYaml}.
   */
  static Canary canary(String serviceYaml, String analysisYaml) {
    String yaml =
        """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: podinfo
          namespace: default
          uid: 6f1c1d2e-0000-4000-8000-000000000004
        spec:
          provider: contour
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
            .formatted(
                block(
                    serviceYaml.lines().anyMatch(l -> l.startsWith("port:"))
                        ? serviceYaml
                        : "port: 9898\n" + serviceYaml),
                block(analysisYaml));
    return SERIALIZATION.unmarshal(yaml, Canary.class);
  }

  /** Flagger's newTestCanary on contour. */
  static Canary canary() {
    return canary(FLAGGER_SERVICE, PROGRESSIVE);
  }

  /** Flagger's newTestCanary in the A/B test of newTestABTest. */
  static Canary abTest() {
    return canary(FLAGGER_SERVICE, AB_TEST);
  }

  private static String block(String text) {
    return text.strip().isEmpty() ? "" : text.stripIndent().indent(4).stripTrailing();
  }

  /** A YAML document as maps and lists, numbers as Integers, as the API returns them. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> yaml(String yaml) {
    return SERIALIZATION.unmarshal(yaml, Map.class);
  }

  /** Follows {@code path} (map keys and list indexes) from {@code root}. */
  @SuppressWarnings("unchecked")
  public static <T> T at(Object root, Object... path) {
    Object cur = root;
    for (Object p : path) {
      cur =
          p instanceof Integer i ? ((List<Object>) cur).get(i) : ((Map<String, Object>) cur).get(p);
    }
    return (T) cur;
  }

  /** The spec of {@code proxy}. */
  static Map<String, Object> spec(GenericKubernetesResource proxy) {
    return ContourRouter.spec(proxy);
  }

  /** The weights of the services of route {@code route}: primary, canary (absent is 0). */
  static List<Integer> weights(Map<String, Object> spec, int route) {
    List<Map<String, Object>> services = at(spec, "routes", route, "services");
    return services.stream()
        .map(s -> s.get("weight") instanceof Number n ? n.intValue() : 0)
        .toList();
  }
}
