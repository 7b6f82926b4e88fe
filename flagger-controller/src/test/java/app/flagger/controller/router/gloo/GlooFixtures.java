package app.flagger.controller.router.gloo;

import app.flagger.controller.support.Crds;
import app.flagger.controller.support.Trees;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;

/**
 * Canaries for the Gloo tests, written as users write them: Flagger's {@code newTestCanary} (its
 * Gloo router reads only the port and the analysis match) and {@code newTestABTest}'s match, the
 * Upstream of Flagger's e2e test, and the test CRDs.
 */
public final class GlooFixtures {
  private GlooFixtures() {}

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** Registers the test Upstream and RouteTable CRDs in the mock. */
  public static void registerCrds(KubernetesClient client) {
    Crds.registerResource(client, "/crds/gloo-upstreams.yaml");
    Crds.registerResource(client, "/crds/gloo-routetables.yaml");
  }

  /** Flagger's newTestCanary service, with a path match Flagger's Gloo router ignores. */
  static final String FLAGGER_SERVICE =
      """
      port: 9898
      portDiscovery: true
      appProtocol: http
      match:
        - uri:
            prefix: /podinfo
      """;

  /** Flagger's progressive analysis: step 10 up to 50. */
  static final String PROGRESSIVE = "stepWeight: 10\nmaxWeight: 50";

  /** Flagger's newTestABTest analysis: 10 iterations on {@code x-user-type: test}. */
  static final String AB_TEST =
      """
      iterations: 10
      match:
        - headers:
            x-user-type:
              exact: test
      """;

  /** The Upstream {@code config-upstream} of Flagger's e2e test (test/gloo/test-canary.sh). */
  static final String CONFIG_UPSTREAM =
      """
      apiVersion: gloo.solo.io/v1
      kind: Upstream
      metadata:
        name: config-upstream
        namespace: gloo-system
      spec:
        static:
          hosts:
            - addr: example.com
              port: 80
        connectionConfig:
          connectTimeout: 2s
          maxRequestsPerConnection: 51
        loadBalancerConfig:
          roundRobin:
            slowStartConfig:
              slowStartWindow: 2m
              minWeightPercent: 5
      """;

  /** The {@code upstreamRef} to {@link #CONFIG_UPSTREAM}. */
  static final String UPSTREAM_REF =
      """
      upstreamRef:
        apiVersion: gloo.solo.io/v1
        kind: Upstream
        name: config-upstream
        namespace: gloo-system
      """;

  /**
   * A canary {@code podinfo.default} on {@code gloo}: {@code extraSpec} (top-level spec fields),
   * service {@code serviceYaml}, analysis threshold 10 plus {@code analysisYaml}.
   */
  static Canary canary(String extraSpec, String serviceYaml, String analysisYaml) {
    String yaml =
        """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: podinfo
          namespace: default
          uid: 6f1c1d2e-0000-4000-8000-000000000007
        spec:
          provider: gloo
          targetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: podinfo
        %s
          service:
        %s
          analysis:
            threshold: 10
        %s
        """
            .formatted(block(extraSpec, 2), block(serviceYaml, 4), block(analysisYaml, 4));
    return SERIALIZATION.unmarshal(yaml, Canary.class);
  }

  static Canary canary(String serviceYaml, String analysisYaml) {
    return canary("", serviceYaml, analysisYaml);
  }

  /** Flagger's newTestCanary on gloo. */
  static Canary canary() {
    return canary(FLAGGER_SERVICE, PROGRESSIVE);
  }

  /** Flagger's newTestCanary in the A/B test of newTestABTest. */
  static Canary abTest() {
    return canary(FLAGGER_SERVICE, AB_TEST);
  }

  /** A canary with {@code match} (YAML of the {@code analysis.match} list) as its A/B test. */
  static Canary abTest(String match) {
    return canary(FLAGGER_SERVICE, "iterations: 10\nmatch:\n" + match.stripIndent());
  }

  private static String block(String text, int indent) {
    return text.strip().isEmpty() ? "" : text.stripIndent().indent(indent).stripTrailing();
  }

  /** Creates the Services {@code podinfo-primary} and {@code podinfo-canary} Flagger generates. */
  static void createServices(KubernetesClient client) {
    for (String name : List.of("podinfo-primary", "podinfo-canary")) {
      client
          .services()
          .inNamespace("default")
          .resource(
              new ServiceBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace("default")
                  .endMetadata()
                  .withNewSpec()
                  .withSelector(Map.of("app", name))
                  .addNewPort()
                  .withName("http")
                  .withPort(9898)
                  .endPort()
                  .endSpec()
                  .build())
          .create();
    }
  }

  /** {@link #CONFIG_UPSTREAM} as an object. */
  static GenericKubernetesResource configUpstream() {
    return SERIALIZATION.unmarshal(CONFIG_UPSTREAM, GenericKubernetesResource.class);
  }

  /** The weights of the destinations of route {@code route}: primary, canary (absent is 0). */
  static List<Integer> weights(Map<String, Object> spec, int route) {
    List<Map<String, Object>> destinations =
        Trees.at(spec, "routes", route, "routeAction", "multi", "destinations");
    return destinations.stream()
        .map(d -> d.get("weight") instanceof Number n ? n.intValue() : 0)
        .toList();
  }
}
