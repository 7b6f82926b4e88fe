package app.flagger.controller.router.apisix;

import app.flagger.controller.router.contour.ContourFixtures;
import app.flagger.controller.support.Crds;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;

/**
 * The APISIX test objects, written as users write them: Flagger's {@code newTestApisixRoute} (the
 * ApisixRoute {@code podinfo} its router tests copy), a Canary on it in the shape of Flagger's
 * {@code newTestCanary}, and the test CRD.
 */
public final class ApisixFixtures {
  private ApisixFixtures() {}

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** Registers the test ApisixRoute CRD (apisix.apache.org/v2, status subresource) in the mock. */
  public static void registerCrd(KubernetesClient client) {
    Crds.registerResource(client, "/crds/apisix-apisixroutes.yaml");
  }

  /** Flagger's newTestApisixRoute: rule {@code method} on foobar.com, GET /*, to podinfo:80. */
  static final String FLAGGER_ROUTE =
      """
      http:
        - name: method
          match:
            hosts: [foobar.com]
            methods: [GET]
            paths: ["/*"]
          plugins:
            - name: prometheus
              enable: true
              config:
                disable: "false"
                prefer_name: "true"
          backends:
            - serviceName: podinfo
              servicePort: 80
      """;

  /** The ApisixRoute {@code name} in {@code namespace} with {@code specYaml}. */
  public static GenericKubernetesResource route(String namespace, String name, String specYaml) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion("apisix.apache.org/v2");
    r.setKind("ApisixRoute");
    r.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(name)
            .withNamespace(namespace)
            .build());
    r.setAdditionalProperty("spec", yaml(specYaml));
    return r;
  }

  /** Flagger's newTestApisixRoute, {@code podinfo.default}. */
  public static GenericKubernetesResource flaggerRoute() {
    return route("default", "podinfo", FLAGGER_ROUTE);
  }

  /**
   * A canary {@code podinfo.default} on {@code apisix} with routeRef {@code podinfo}, service port
   * 9898 plus {@code serviceYaml}, analysis threshold 10 plus {@code analysisYaml}.
   */
  static Canary canary(String serviceYaml, String analysisYaml) {
    String yaml =
        """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: podinfo
          namespace: default
          uid: 6f1c1d2e-0000-4000-8000-000000000005
        spec:
          provider: apisix
          targetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: podinfo
          routeRef:
            apiVersion: apisix.apache.org/v2
            kind: ApisixRoute
            name: podinfo
          service:
            port: 9898
        %s
          analysis:
            threshold: 10
        %s
        """
            .formatted(block(serviceYaml), block(analysisYaml));
    return SERIALIZATION.unmarshal(yaml, Canary.class);
  }

  /** Flagger's newTestCanary on apisix: step 10 up to 50. */
  static Canary canary() {
    return canary("", "stepWeight: 10\nmaxWeight: 50");
  }

  private static String block(String text) {
    return text.strip().isEmpty() ? "" : text.stripIndent().indent(4).stripTrailing();
  }

  /** A YAML document as maps and lists, as the API returns them. */
  static Map<String, Object> yaml(String yaml) {
    return ContourFixtures.yaml(yaml);
  }

  /** Follows {@code path} (map keys and list indexes) from {@code root}. */
  static <T> T at(Object root, Object... path) {
    return ContourFixtures.at(root, path);
  }

  /** The weights of the backends of http route 0: primary, canary. */
  public static List<Integer> weights(Map<String, Object> spec) {
    List<Map<String, Object>> backends = at(spec, "http", 0, "backends");
    return backends.stream().map(b -> ((Number) b.get("weight")).intValue()).toList();
  }
}
