package app.flagger.sandbox.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The mesh reads Ingresses as ingress-nginx serves them: by host and path, with the canary
 * Ingress's annotations applied by header, then cookie, then weight.
 */
class IngressViewTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final String PRIMARY = "podinfo.test:9898";
  private static final String CANARY = "podinfo-canary.test:9898";

  /** An Ingress in namespace test for app.example.com, path / (Prefix), to {@code service}. */
  static Ingress ingress(String name, String service, Map<String, String> annotations) {
    String yaml =
        """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: %s
          namespace: test
        spec:
          ingressClassName: nginx
          rules:
            - host: app.example.com
              http:
                paths:
                  - pathType: Prefix
                    path: /
                    backend: {service: {name: %s, port: {number: 9898}}}
        """
            .formatted(name, service);
    Ingress i = YAML.unmarshal(yaml, Ingress.class);
    i.getMetadata().setAnnotations(Map.copyOf(annotations));
    return i;
  }

  /** The main Ingress podinfo and its canary with the nginx annotations {@code canary}. */
  static IngressView view(Map<String, String> canary) {
    Map<String, String> annotations = new java.util.HashMap<>();
    annotations.put("nginx.ingress.kubernetes.io/canary", "true");
    canary.forEach((k, v) -> annotations.put("nginx.ingress.kubernetes.io/" + k, v));
    return IngressView.forHost(
            "app.example.com",
            List.of(
                IngressView.Rules.of(ingress("podinfo", "podinfo", Map.of())),
                IngressView.Rules.of(ingress("podinfo-canary", "podinfo-canary", annotations))))
        .orElseThrow();
  }

  /** The destinations of the first route matching GET {@code path} with {@code headers}. */
  static List<WeightedDestination> where(IngressView v, String path, Map<String, String> headers) {
    Map<String, List<String>> h = new java.util.HashMap<>();
    headers.forEach((k, val) -> h.put(k, List.of(val)));
    MeshRequest request = new MeshRequest("GET", path, h);
    return v.http().stream()
        .filter(r -> r.matches(request))
        .findFirst()
        .map(HttpRoute::destinations)
        .orElse(List.of());
  }

  private static List<WeightedDestination> canary() {
    return List.of(new WeightedDestination(CANARY, 100));
  }

  private static List<WeightedDestination> primary() {
    return List.of(new WeightedDestination(PRIMARY, 100));
  }

  private static List<WeightedDestination> split(int canaryWeight) {
    return List.of(
        new WeightedDestination(CANARY, canaryWeight),
        new WeightedDestination(PRIMARY, 100 - canaryWeight));
  }

  @Test
  void aHostWithoutCanaryGoesToTheIngressBackend() {
    IngressView v =
        IngressView.forHost(
                "app.example.com",
                List.of(IngressView.Rules.of(ingress("podinfo", "podinfo", Map.of()))))
            .orElseThrow();
    assertThat(v.kind()).isEqualTo("Ingress");
    assertThat(v.namespace()).isEqualTo("test");
    assertThat(v.name()).isEqualTo("podinfo");
    assertThat(where(v, "/api", Map.of())).isEqualTo(primary());
    assertThat(v.served(v.http().getFirst(), PRIMARY))
        .isEqualTo(
            new IngressView.Served("app.example.com", "test", "podinfo", "podinfo", "/", ""));
    assertThat(
            IngressView.forHost(
                "other.example.com",
                List.of(IngressView.Rules.of(ingress("podinfo", "podinfo", Map.of())))))
        .isEmpty();
  }

  @Test
  void theCanaryWeightSplitsTheRestAndLabelsTheCanaryUpstream() {
    IngressView v = view(Map.of("canary-weight", "30"));
    assertThat(where(v, "/", Map.of())).isEqualTo(split(30));
    HttpRoute weighted = v.http().getLast();
    assertThat(v.served(weighted, CANARY).canary()).isEqualTo("test-podinfo-canary-9898");
    assertThat(v.served(weighted, PRIMARY).canary()).isEmpty();
    assertThat(v.served(weighted, CANARY).service()).isEqualTo("podinfo");
    assertThat(v.served(weighted, CANARY).ingress()).isEqualTo("podinfo");
    // canary-weight-total, and a weight above it sends everything to the canary
    assertThat(
            where(view(Map.of("canary-weight", "5", "canary-weight-total", "10")), "/", Map.of()))
        .containsExactly(new WeightedDestination(CANARY, 5), new WeightedDestination(PRIMARY, 5));
    assertThat(where(view(Map.of("canary-weight", "150")), "/", Map.of())).isEqualTo(split(100));
    assertThat(where(view(Map.of()), "/", Map.of())).isEqualTo(split(0));
  }

  @Test
  void aHeaderAlwaysOrNeverWinsOverCookieAndWeight() {
    IngressView v =
        view(
            Map.of(
                "canary-by-header",
                "X-Canary",
                "canary-by-cookie",
                "canary",
                "canary-weight",
                "50"));
    assertThat(where(v, "/", Map.of("x-canary", "always", "cookie", "canary=never")))
        .isEqualTo(canary());
    assertThat(where(v, "/", Map.of("x-canary", "never", "cookie", "canary=always")))
        .isEqualTo(primary());
    // any other header value falls through to the cookie, then to the weight
    assertThat(where(v, "/", Map.of("x-canary", "maybe", "cookie", "a=b; canary=always")))
        .isEqualTo(canary());
    assertThat(where(v, "/", Map.of("cookie", "canary=never;x=y"))).isEqualTo(primary());
    assertThat(where(v, "/", Map.of("cookie", "notcanary=always"))).isEqualTo(split(50));
    assertThat(where(v, "/", Map.of())).isEqualTo(split(50));
  }

  @Test
  void aHeaderValueIsMatchedExactlyAndAPatternAnywhereInTheValue() {
    IngressView exact =
        view(Map.of("canary-by-header", "x-canary", "canary-by-header-value", "insider"));
    assertThat(where(exact, "/", Map.of("x-canary", "insider"))).isEqualTo(canary());
    // with a value, always is just another value: the weight decides
    assertThat(where(exact, "/", Map.of("x-canary", "always"))).isEqualTo(split(0));
    assertThat(where(exact, "/", Map.of("x-canary", "insiders"))).isEqualTo(split(0));

    IngressView pattern =
        view(Map.of("canary-by-header", "x-canary", "canary-by-header-pattern", "insid(er|e)"));
    assertThat(where(pattern, "/", Map.of("x-canary", "an insider here"))).isEqualTo(canary());
    assertThat(where(pattern, "/", Map.of("x-canary", "outsider"))).isEqualTo(split(0));

    // a value wins over a pattern, as in ingress-nginx
    IngressView both =
        view(
            Map.of(
                "canary-by-header", "x-canary",
                "canary-by-header-value", "exact",
                "canary-by-header-pattern", ".*"));
    assertThat(where(both, "/", Map.of("x-canary", "other"))).isEqualTo(split(0));
  }

  @Test
  void anExactPathComesFirstThenTheLongestPrefix() {
    String yaml =
        """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: paths, namespace: test}
        spec:
          rules:
            - host: "*.example.com"
              http:
                paths:
                  - {pathType: Prefix, path: /, backend: {service: {name: root, port: {number: 80}}}}
                  - {pathType: Prefix, path: /api, backend: {service: {name: api, port: {name: http}}}}
                  - {pathType: Exact, path: /api/x, backend: {service: {name: x, port: {number: 80}}}}
        """;
    IngressView v =
        IngressView.forHost(
                "app.example.com",
                List.of(IngressView.Rules.of(YAML.unmarshal(yaml, Ingress.class))))
            .orElseThrow();
    assertThat(where(v, "/api/x", Map.of()).getFirst().host()).isEqualTo("x.test:80");
    assertThat(where(v, "/api/y", Map.of()).getFirst().host()).isEqualTo("api.test:http");
    assertThat(where(v, "/apix", Map.of()).getFirst().host()).isEqualTo("root.test:80");
    assertThat(
            IngressView.forHost(
                "a.b.example.com",
                List.of(IngressView.Rules.of(YAML.unmarshal(yaml, Ingress.class)))))
        .isEmpty();
  }

  @Test
  void aCanaryWithoutAMainIngressIsIgnoredAndBadAnnotationsNameTheField() {
    Ingress canaryOnly =
        ingress(
            "podinfo-canary",
            "podinfo-canary",
            Map.of("nginx.ingress.kubernetes.io/canary", "true"));
    assertThat(IngressView.forHost("app.example.com", List.of(IngressView.Rules.of(canaryOnly))))
        .isEqualTo(Optional.empty());
    assertThatThrownBy(() -> view(Map.of("canary-weight", "ten")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Ingress test/podinfo-canary")
        .hasMessageContaining("nginx.ingress.kubernetes.io/canary-weight must be an integer");
    Ingress noBackend = ingress("broken", "x", Map.of());
    noBackend
        .getSpec()
        .getRules()
        .getFirst()
        .getHttp()
        .getPaths()
        .getFirst()
        .getBackend()
        .setService(null);
    assertThatThrownBy(() -> IngressView.Rules.of(noBackend))
        .hasMessageContaining("spec.rules[0].http.paths[0].backend.service.name is required");
  }
}
