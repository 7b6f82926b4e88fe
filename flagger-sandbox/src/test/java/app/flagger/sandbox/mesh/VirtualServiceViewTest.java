package app.flagger.sandbox.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mesh reads VirtualServices as Flagger's istio router writes them. */
class VirtualServiceViewTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private static VirtualServiceView parse(String spec) {
    String yaml =
        """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: podinfo, namespace: test}
        spec:
        """
            + spec.indent(2);
    return VirtualServiceView.of(YAML.unmarshal(yaml, GenericKubernetesResource.class));
  }

  private static MeshRequest get(String path, Map<String, String> headers) {
    Map<String, List<String>> h = new java.util.HashMap<>();
    headers.forEach((k, v) -> h.put(k, List.of(v)));
    return new MeshRequest("GET", path, h);
  }

  @Test
  void readsFlaggersCanaryRoutes() {
    VirtualServiceView vs =
        parse(
            """
            hosts: [podinfo, app.example.com]
            gateways: [mesh]
            http:
              - match:
                  - headers:
                      x-canary: {exact: insider}
                  - uri: {prefix: /api}
                route:
                  - destination: {host: podinfo-canary}
              - route:
                  - destination: {host: podinfo-primary}
                    weight: 90
                  - destination: {host: podinfo-canary}
                    weight: 10
                timeout: 15s
                mirror: {host: podinfo-canary}
                mirrorPercentage: {value: 25.5}
            """);
    assertThat(vs.appliesToMesh()).isTrue();
    assertThat(vs.hosts()).containsExactly("podinfo", "app.example.com");
    HttpRoute ab = vs.http().get(0);
    assertThat(ab.destinations()).containsExactly(new WeightedDestination("podinfo-canary", 100));
    assertThat(ab.matches(get("/", Map.of("X-Canary", "insider")))).isTrue();
    assertThat(ab.matches(get("/api/info", Map.of()))).isTrue();
    assertThat(ab.matches(get("/", Map.of("x-canary", "other")))).isFalse();
    HttpRoute weighted = vs.http().get(1);
    assertThat(weighted.matches(get("/", Map.of()))).isTrue();
    assertThat(weighted.destinations())
        .containsExactly(
            new WeightedDestination("podinfo-primary", 90),
            new WeightedDestination("podinfo-canary", 10));
    assertThat(weighted.timeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(weighted.mirrorHost()).isEqualTo("podinfo-canary");
    assertThat(weighted.mirrorPercent()).isEqualTo(25.5);
  }

  @Test
  void gatewayOnlyRoutesDoNotApplyToTheMesh() {
    assertThat(
            parse("hosts: [app.example.com]\ngateways: [istio-system/public]\nhttp: []")
                .appliesToMesh())
        .isFalse();
  }

  @Test
  void badRoutesNameTheField() {
    assertThatThrownBy(
            () -> parse("http:\n  - route:\n      - destination: {host: a}\n    timeout: soon\n"))
        .hasMessageContaining(
            "VirtualService test/podinfo spec.http[0].timeout must be a duration");
    assertThatThrownBy(
            () ->
                parse(
                    "http:\n  - match:\n      - headers:\n          x: {contains: y}\n    route: []\n"))
        .hasMessageContaining("spec.http[0].match[0].headers.x needs exact, prefix or regex");
  }
}
