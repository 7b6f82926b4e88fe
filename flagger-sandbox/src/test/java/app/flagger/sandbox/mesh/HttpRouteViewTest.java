package app.flagger.sandbox.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mesh reads HTTPRoutes as Flagger's gatewayapi router writes them. */
class HttpRouteViewTest {
  static HttpRouteView parse(String version, String spec) {
    return HttpRouteView.of(
        TrafficSplitViewTest.object("gateway.networking.k8s.io/" + version, "HTTPRoute", spec));
  }

  private static MeshRequest get(String path, String query, Map<String, String> headers) {
    Map<String, List<String>> h = new HashMap<>();
    headers.forEach((k, v) -> h.put(k, List.of(v)));
    return new MeshRequest("GET", path, query, h);
  }

  /** The first route that matches, as the mesh picks it. */
  private static HttpRoute first(HttpRouteView v, MeshRequest r) {
    return v.http().stream().filter(h -> h.matches(r)).findFirst().orElse(null);
  }

  @Test
  void readsFlaggersWeightedRuleWithMirrorAndTimeout() {
    HttpRouteView v =
        parse(
            "v1",
            """
            parentRefs: [{name: public, namespace: gateway-system}]
            hostnames: [app.example.com]
            rules:
              - matches: [{path: {type: PathPrefix, value: /}}]
                filters:
                  - type: RequestMirror
                    requestMirror:
                      backendRef: {group: "", kind: Service, name: podinfo-canary, port: 9898}
                backendRefs:
                  - {group: "", kind: Service, name: podinfo-primary, port: 9898, weight: 90}
                  - {group: "", kind: Service, name: podinfo-canary, port: 9898, weight: 10}
                timeouts: {request: 1m30s}
            """);
    assertThat(v.kind()).isEqualTo("HTTPRoute");
    assertThat(v.gateway()).isTrue();
    assertThat(v.servesHostname("app.example.com")).isTrue();
    assertThat(v.servesHostname("other.example.com")).isFalse();
    assertThat(v.parentServices()).isEmpty();
    HttpRoute r = v.http().getFirst();
    assertThat(r.destinations())
        .containsExactly(
            new WeightedDestination("podinfo-primary.test:9898", 90),
            new WeightedDestination("podinfo-canary.test:9898", 10));
    assertThat(r.mirrorHost()).isEqualTo("podinfo-canary.test:9898");
    assertThat(r.mirrorPercent()).isEqualTo(100);
    assertThat(r.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(r.matches(get("/anything", "", Map.of()))).isTrue();
  }

  @Test
  void ranksMatchesByTheGatewayApisPrecedence() {
    HttpRouteView v =
        parse(
            "v1beta1",
            """
            parentRefs: [{kind: Service, name: podinfo, port: 9898}]
            rules:
              - backendRefs: [{name: podinfo-primary, port: 9898}]
              - matches:
                  - headers: [{name: X-Canary, value: insider}]
                  - headers: [{type: RegularExpression, name: cookie, value: "^(.*?;)?(canary=always)(;.*)?$"}]
                  - queryParams: [{name: canary, value: "true"}]
                backendRefs: [{name: podinfo-canary, port: 9898}]
              - matches: [{path: {type: PathPrefix, value: /api}, method: POST}]
                backendRefs: [{name: api, namespace: other, port: 8080, weight: 0}, {name: api2}]
              - matches: [{path: {type: Exact, value: /healthz}}]
                backendRefs: [{name: health}]
            """);
    assertThat(v.parentServices()).containsExactly("podinfo.test");
    assertThat(v.attachedTo(new HostName("podinfo.test", "podinfo", "test"))).isTrue();
    assertThat(dest(first(v, get("/healthz", "", Map.of())))).isEqualTo("health.test");
    assertThat(dest(first(v, new MeshRequest("POST", "/api/v1", Map.of()))))
        .as("a longer prefix beats a header match")
        .isEqualTo("api2.test");
    assertThat(first(v, new MeshRequest("POST", "/api/v1", Map.of())).destinations().getFirst())
        .isEqualTo(new WeightedDestination("api.other:8080", 0));
    assertThat(dest(first(v, new MeshRequest("POST", "/apix", Map.of()))))
        .as("a prefix matches whole path elements")
        .isEqualTo("podinfo-primary.test:9898");
    assertThat(dest(first(v, get("/", "", Map.of("x-canary", "insider")))))
        .isEqualTo("podinfo-canary.test:9898");
    assertThat(dest(first(v, get("/", "", Map.of("cookie", "a=b;canary=always")))))
        .isEqualTo("podinfo-canary.test:9898");
    assertThat(dest(first(v, get("/", "x=1&canary=true", Map.of()))))
        .isEqualTo("podinfo-canary.test:9898");
    assertThat(dest(first(v, get("/", "canary=false", Map.of()))))
        .isEqualTo("podinfo-primary.test:9898");
    assertThat(first(v, get("/", "", Map.of())).destinations().getFirst().weight())
        .as("a backendRef without a weight weighs 1")
        .isEqualTo(1);
  }

  @Test
  void readsMirrorPercentAndFraction() {
    HttpRouteView v =
        parse(
            "v1beta1",
            """
            hostnames: ["*.example.com"]
            rules:
              - matches: [{path: {type: PathPrefix, value: /a}}]
                filters:
                  - type: RequestMirror
                    requestMirror: {backendRef: {name: shadow, port: 80}, percent: 25}
                backendRefs: [{name: a}]
              - matches: [{path: {type: PathPrefix, value: /b}}]
                filters:
                  - type: RequestMirror
                    requestMirror:
                      backendRef: {name: shadow}
                      fraction: {numerator: 1, denominator: 8}
                backendRefs: [{name: b}]
            """);
    assertThat(v.servesHostname("app.example.com")).isTrue();
    assertThat(v.servesHostname("example.com")).isFalse();
    assertThat(first(v, get("/a", "", Map.of())).mirrorPercent()).isEqualTo(25);
    assertThat(first(v, get("/b/c", "", Map.of())).mirrorPercent()).isEqualTo(12.5);
    assertThat(first(v, get("/b/c", "", Map.of())).mirrorHost()).isEqualTo("shadow.test");
    assertThat(first(v, get("/c", "", Map.of()))).isNull();
  }

  @Test
  void badFieldsAreNamed() {
    assertThatThrownBy(
            () ->
                parse(
                    "v1",
                    """
                    rules:
                      - matches: [{path: {type: Glob, value: /a}}]
                    """))
        .hasMessage(
            "HTTPRoute test/podinfo spec.rules[0].matches[0].path.type must be Exact, PathPrefix"
                + " or RegularExpression, got Glob");
    assertThatThrownBy(
            () ->
                parse(
                    "v1",
                    """
                    rules:
                      - timeouts: {request: soon}
                    """))
        .hasMessage(
            "HTTPRoute test/podinfo spec.rules[0].timeouts.request must be a duration like 15s or"
                + " 1h30m, got soon");
  }

  private static String dest(HttpRoute r) {
    return r.destinations().getLast().host();
  }
}
