package app.flagger.controller.router.gatewayapi;

import static app.flagger.controller.router.gatewayapi.GatewayApiFixtures.at;
import static app.flagger.controller.router.gatewayapi.GatewayApiFixtures.backend;
import static app.flagger.controller.router.gatewayapi.GatewayApiFixtures.canary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.controller.router.gatewayapi.HttpRouteBuilder.Version;
import app.flagger.controller.router.istio.SessionCookies;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Field-by-field cases from Flagger's gateway_api_test.go and gateway_api_v1beta1_test.go. */
class HttpRouteBuilderTest {
  /** Every cookie letter is 'a'. */
  private static final RandomGenerator ZEROS = () -> 0L;

  private static final Map<String, Object> ROOT_PREFIX =
      Map.of("path", Map.of("type", "PathPrefix", "value", "/"));

  private static Map<String, Object> setRoutes(Canary c, Version v, int primary, int canary) {
    return setRoutes(c, v, new Routes(primary, canary, false));
  }

  private static Map<String, Object> setRoutes(Canary c, Version v, Routes routes) {
    return HttpRouteBuilder.spec(
        c, v, routes, SessionCookies.next(c, routes.canaryWeight(), ZEROS));
  }

  @Test
  void reconcileSpecSendsEverythingToThePrimaryWithTimeouts() {
    Map<String, Object> spec = HttpRouteBuilder.spec(canary(), Version.V1);

    assertThat(spec)
        .isEqualTo(
            Map.of(
                "parentRefs",
                List.of(Map.of("name", "podinfo")),
                "rules",
                List.of(
                    Map.of(
                        "matches",
                        List.of(ROOT_PREFIX),
                        "backendRefs",
                        List.of(backend("podinfo-primary", 100), backend("podinfo-canary", 0)),
                        "timeouts",
                        Map.of("request", "10s", "backendRequest", "5s")))));
  }

  @Test
  void v1beta1HasNoTimeoutsAndTheSameShapeOtherwise() {
    Map<String, Object> spec = HttpRouteBuilder.spec(canary(), Version.V1BETA1);

    assertThat((Map<String, Object>) at(spec, "rules", 0)).doesNotContainKey("timeouts");
    assertThat((List<Object>) at(spec, "rules", 0, "backendRefs"))
        .containsExactly(backend("podinfo-primary", 100), backend("podinfo-canary", 0));
  }

  @Test
  void buildCarriesApexMetadataFluxOptOutAndTheOwnerReference() {
    Canary c =
        canary(
            """
            apex:
              labels:
                team: web
              annotations:
                owner: web-team
            hosts: [app.example.com]
            """,
            "");

    GenericKubernetesResource v1 = HttpRouteBuilder.build(c, Version.V1);
    GenericKubernetesResource beta = HttpRouteBuilder.build(c, Version.V1BETA1);

    assertThat(v1.getApiVersion()).isEqualTo("gateway.networking.k8s.io/v1");
    assertThat(beta.getApiVersion()).isEqualTo("gateway.networking.k8s.io/v1beta1");
    assertThat(v1.getKind()).isEqualTo("HTTPRoute");
    assertThat(v1.getMetadata().getName()).isEqualTo("podinfo");
    assertThat(v1.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(v1.getMetadata().getLabels()).containsExactlyEntriesOf(Map.of("team", "web"));
    assertThat(v1.getMetadata().getAnnotations())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "owner", "web-team",
                "kustomize.toolkit.fluxcd.io/reconcile", "disabled",
                "helm.toolkit.fluxcd.io/driftDetection", "disabled"));
    var owner = v1.getMetadata().getOwnerReferences().get(0);
    assertThat(owner.getKind()).isEqualTo("Canary");
    assertThat(owner.getApiVersion()).isEqualTo("flagger.app/v1beta1");
    assertThat(owner.getName()).isEqualTo("podinfo");
    assertThat(owner.getController()).isTrue();
    assertThat((List<Object>) at(v1.getAdditionalProperties(), "spec", "hostnames"))
        .containsExactly("app.example.com");
  }

  @Test
  void gatewayRefsBecomeParentRefsFieldByField() {
    Canary c =
        canary(
            """
            gatewayRefs:
              - name: public
                namespace: istio-ingress
                sectionName: https
                port: 443
                group: gateway.networking.k8s.io
                kind: Gateway
            """,
            "");

    assertThat((List<Object>) at(HttpRouteBuilder.spec(c, Version.V1), "parentRefs"))
        .containsExactly(
            Map.of(
                "group", "gateway.networking.k8s.io",
                "kind", "Gateway",
                "namespace", "istio-ingress",
                "name", "public",
                "sectionName", "https",
                "port", 443));
  }

  @Test
  void setRoutesWritesTheWeightsOnTheSingleRule() {
    Map<String, Object> spec = setRoutes(canary(), Version.V1, 50, 50);

    assertThat((List<Object>) at(spec, "rules")).hasSize(1);
    assertThat((List<Object>) at(spec, "rules", 0, "backendRefs"))
        .containsExactly(backend("podinfo-primary", 50), backend("podinfo-canary", 50));
  }

  @Test
  void abTestingPutsTheAnalysisMatchesFirstAndAPrimaryOnlyRuleAfter() {
    Canary c =
        canary(
            """
            match:
              - uri:
                  prefix: /api
            """,
            """
            iterations: 10
            match:
              - headers:
                  x-canary:
                    exact: insider
              - headers:
                  cookie:
                    regex: "^(.*?;)?(canary=always)(;.*)?$"
                queryParams:
                  user:
                    exact: beta
            """);

    Map<String, Object> spec = setRoutes(c, Version.V1, 0, 100);

    Map<String, Object> api = Map.of("type", "PathPrefix", "value", "/api");
    assertThat((List<Object>) at(spec, "rules", 0, "matches"))
        .containsExactly(
            Map.of(
                "path",
                api,
                "headers",
                List.of(Map.of("type", "Exact", "name", "x-canary", "value", "insider"))),
            Map.of(
                "path",
                api,
                "headers",
                List.of(
                    Map.of(
                        "type",
                        "RegularExpression",
                        "name",
                        "cookie",
                        "value",
                        "^(.*?;)?(canary=always)(;.*)?$")),
                "queryParams",
                List.of(Map.of("type", "Exact", "name", "user", "value", "beta"))));
    assertThat((List<Object>) at(spec, "rules", 0, "backendRefs"))
        .containsExactly(backend("podinfo-primary", 0), backend("podinfo-canary", 100));
    assertThat((List<Object>) at(spec, "rules", 1, "matches")).containsExactly(Map.of("path", api));
    assertThat((List<Object>) at(spec, "rules", 1, "backendRefs"))
        .containsExactly(backend("podinfo-primary", 100));
    assertThat((Map<String, Object>) at(spec, "rules", 1, "timeouts"))
        .isEqualTo(Map.of("request", "10s", "backendRequest", "5s"));
    assertThat(HttpRouteBuilder.spec(c, Version.V1))
        .as("Reconcile builds the same two rules with everything on the primary")
        .isEqualTo(setRoutes(c, Version.V1, 100, 0));
  }

  @Test
  void methodAndPathMatchesMapToHttpRouteMatches() {
    Canary c =
        canary(
            """
            match:
              - uri:
                  exact: /exact
                method:
                  exact: GET
              - uri:
                  regex: /re.*
            """,
            "");

    assertThat((List<Object>) at(HttpRouteBuilder.spec(c, Version.V1), "rules", 0, "matches"))
        .containsExactly(
            Map.of("path", Map.of("type", "Exact", "value", "/exact"), "method", "GET"),
            Map.of("path", Map.of("type", "RegularExpression", "value", "/re.*")));
  }

  @Test
  void unsupportedMatchSelectorsAreRejectedNamingTheField() {
    Canary c =
        canary(
            "",
            """
            match:
              - headers:
                  x-canary:
                    prefix: ins
            """);

    assertThatThrownBy(() -> HttpRouteBuilder.spec(c, Version.V1))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith(
            "Invalid request matching selectors: Gateway API doesn't support the specified header"
                + " matching selector: headers.x-canary");
  }

  @Test
  void blueGreenMirroringAddsARequestMirrorFilterToTheCanary() {
    Canary c = canary("", "iterations: 10\nmirror: true");

    Map<String, Object> mirrored = setRoutes(c, Version.V1, new Routes(100, 0, true));
    Map<String, Object> plain = setRoutes(c, Version.V1, new Routes(100, 0, false));

    assertThat((List<Object>) at(mirrored, "rules", 0, "filters"))
        .containsExactly(
            Map.of(
                "type",
                "RequestMirror",
                "requestMirror",
                Map.of(
                    "backendRef",
                    Map.of("group", "", "kind", "Service", "name", "podinfo-canary", "port", 80))));
    assertThat((Map<String, Object>) at(plain, "rules", 0)).doesNotContainKey("filters");
    Canary progressive = canary();
    assertThat(
            (Map<String, Object>)
                at(setRoutes(progressive, Version.V1, new Routes(90, 10, true)), "rules", 0))
        .as("no mirror without iterations, as Flagger")
        .doesNotContainKey("filters");
  }

  private static final String AFFINITY =
      """
      sessionAffinity:
        cookieName: flagger-cookie
        domain: flagger.app
        httpOnly: true
        maxAge: 300
        partitioned: true
        path: /app
        sameSite: Strict
        secure: true
      """;

  @Test
  void sessionAffinityAddsAStickyCanaryRuleAndSetCookieOnTheCanaryBackend() {
    Canary c = canary("", AFFINITY);

    Map<String, Object> spec = setRoutes(c, Version.V1, 90, 10);

    assertThat((List<Object>) at(spec, "rules")).hasSize(2);
    assertThat((List<Object>) at(spec, "rules", 0, "matches"))
        .containsExactly(
            Map.of(
                "headers",
                List.of(
                    Map.of(
                        "type",
                        "RegularExpression",
                        "name",
                        "Cookie",
                        "value",
                        ".*flagger-cookie.*aaaaaaaaaa.*"))));
    assertThat((List<Object>) at(spec, "rules", 0, "backendRefs"))
        .containsExactly(backend("podinfo-primary", 0), backend("podinfo-canary", 100));
    Map<String, Object> canaryRef = at(spec, "rules", 1, "backendRefs", 1);
    assertThat(canaryRef).containsEntry("name", "podinfo-canary").containsEntry("weight", 10);
    assertThat((List<Object>) canaryRef.get("filters"))
        .containsExactly(
            Map.of(
                "type",
                "ResponseHeaderModifier",
                "responseHeaderModifier",
                Map.of(
                    "add",
                    List.of(
                        Map.of(
                            "name",
                            "Set-Cookie",
                            "value",
                            "flagger-cookie=aaaaaaaaaa; Max-Age=300; Domain=flagger.app;"
                                + " HttpOnly; Partitioned; Path=/app; SameSite=Strict;"
                                + " Secure")))));
    assertThat((Map<String, Object>) at(spec, "rules", 1, "backendRefs", 0))
        .isEqualTo(backend("podinfo-primary", 90));
    assertThat(c.getStatus().sessionAffinityCookie()).isEqualTo("flagger-cookie=aaaaaaaaaa");
  }

  @Test
  void primaryCookieAddsAStickyPrimaryRuleWithTheIntervalAsMaxAge() {
    Canary c =
        canary(
            "",
            """
            sessionAffinity:
              cookieName: canary-cookie
              primaryCookieName: primary-cookie
              maxAge: 300
            """);

    Map<String, Object> spec = setRoutes(c, Version.V1, 90, 10);

    assertThat((List<Object>) at(spec, "rules")).hasSize(3);
    assertThat((String) at(spec, "rules", 0, "matches", 0, "headers", 0, "value"))
        .isEqualTo(".*canary-cookie.*aaaaaaaaaa.*");
    assertThat((String) at(spec, "rules", 1, "matches", 0, "headers", 0, "value"))
        .isEqualTo(".*primary-cookie.*aaaaaaaaaa.*");
    assertThat((List<Object>) at(spec, "rules", 1, "backendRefs"))
        .containsExactly(backend("podinfo-primary", 100), backend("podinfo-canary", 0));
    assertThat(
            (String)
                at(
                    spec,
                    "rules",
                    2,
                    "backendRefs",
                    0,
                    "filters",
                    0,
                    "responseHeaderModifier",
                    "add",
                    0,
                    "value"))
        .isEqualTo("primary-cookie=aaaaaaaaaa; Max-Age=60");
    assertThat(
            (String)
                at(
                    spec,
                    "rules",
                    2,
                    "backendRefs",
                    1,
                    "filters",
                    0,
                    "responseHeaderModifier",
                    "add",
                    0,
                    "value"))
        .isEqualTo("canary-cookie=aaaaaaaaaa; Max-Age=300");
  }

  @Test
  void backAtZeroThePreviousCookieIsExpired() {
    Canary c = canary("", AFFINITY);
    setRoutes(c, Version.V1, 90, 10);

    Map<String, Object> spec = setRoutes(c, Version.V1, 100, 0);

    CanaryStatus s = c.getStatus();
    assertThat(s.sessionAffinityCookie()).isEmpty();
    assertThat(s.previousSessionAffinityCookie()).isEqualTo("flagger-cookie=aaaaaaaaaa");
    assertThat((List<Object>) at(spec, "rules")).hasSize(2);
    assertThat((String) at(spec, "rules", 0, "matches", 0, "headers", 0, "value"))
        .isEqualTo(".*flagger-cookie.*aaaaaaaaaa.*");
    assertThat(
            (String)
                at(spec, "rules", 0, "filters", 0, "responseHeaderModifier", "add", 0, "value"))
        .isEqualTo("flagger-cookie=aaaaaaaaaa; Max-Age=-1");
    assertThat((List<Object>) at(spec, "rules", 1, "backendRefs"))
        .containsExactly(backend("podinfo-primary", 100), backend("podinfo-canary", 0));
  }

  @Test
  void headerModifiersAreSortedSoEveryBuildIsTheSame() {
    Canary c =
        canary(
            """
            headers:
              request:
                set: {h3: v3, h1: v1, h2: v2}
                add: {h2: v2, h1: v1}
                remove: [x-drop]
              response:
                add: {h3: v3, h1: v1}
            """,
            "");

    List<Object> filters = HttpRouteFilters.filters(c, Version.V1);

    assertThat(filters)
        .containsExactly(
            Map.of(
                "type",
                "RequestHeaderModifier",
                "requestHeaderModifier",
                Map.of(
                    "add",
                    List.of(
                        Map.of("name", "h1", "value", "v1"), Map.of("name", "h2", "value", "v2")),
                    "set",
                    List.of(
                        Map.of("name", "h1", "value", "v1"),
                        Map.of("name", "h2", "value", "v2"),
                        Map.of("name", "h3", "value", "v3")),
                    "remove",
                    List.of("x-drop"))),
            Map.of(
                "type",
                "ResponseHeaderModifier",
                "responseHeaderModifier",
                Map.of(
                    "add",
                    List.of(
                        Map.of("name", "h1", "value", "v1"),
                        Map.of("name", "h3", "value", "v3")))));
    for (int i = 0; i < 10; i++) {
      assertThat(HttpRouteFilters.filters(c, Version.V1)).isEqualTo(filters);
    }
  }

  @Test
  void rewriteBecomesAUrlRewriteFilter() {
    Canary prefix = canary("rewrite:\n  uri: /v2\n  authority: api.example.com", "");
    Canary full = canary("rewrite:\n  uri: /v2\n  type: ReplaceFullPath", "");

    assertThat(HttpRouteFilters.filters(prefix, Version.V1))
        .containsExactly(
            Map.of(
                "type",
                "URLRewrite",
                "urlRewrite",
                Map.of(
                    "hostname",
                    "api.example.com",
                    "path",
                    Map.of("type", "ReplacePrefixMatch", "replacePrefixMatch", "/v2"))));
    assertThat(HttpRouteFilters.filters(full, Version.V1))
        .containsExactly(
            Map.of(
                "type",
                "URLRewrite",
                "urlRewrite",
                Map.of("path", Map.of("type", "ReplaceFullPath", "replaceFullPath", "/v2"))));
  }

  @Test
  void corsPolicyBecomesACorsFilterInV1Only() {
    Canary c =
        canary(
            """
            corsPolicy:
              allowOrigins:
                - regex: ".*example.com"
              allowOrigin: [https://example.com, https://app.example.com]
              allowMethods: [GET, POST, PUT]
              allowHeaders: [Content-Type, Authorization]
              exposeHeaders: [X-Custom-Header]
              allowCredentials: true
              maxAge: 24h
            """,
            "");

    assertThat(HttpRouteFilters.filters(c, Version.V1))
        .containsExactly(
            Map.of(
                "type",
                "CORS",
                "cors",
                Map.of(
                    "allowOrigins",
                    List.of("https://example.com", "https://app.example.com"),
                    "allowMethods",
                    List.of("GET", "POST", "PUT"),
                    "allowHeaders",
                    List.of("Content-Type", "Authorization"),
                    "exposeHeaders",
                    List.of("X-Custom-Header"),
                    "allowCredentials",
                    true,
                    "maxAge",
                    86400)));
    assertThat(HttpRouteFilters.filters(c, Version.V1BETA1)).isEmpty();
  }

  @Test
  void serviceMirrorsAreCopiedWithThePercentageOnlyInV1beta1() {
    Canary c =
        canary(
            """
            mirror:
              - backendRef:
                  name: shadow
                  port: 8080
                percent: 20
            """,
            "");

    assertThat(HttpRouteFilters.filters(c, Version.V1))
        .containsExactly(
            Map.of(
                "type",
                "RequestMirror",
                "requestMirror",
                Map.of("backendRef", Map.of("name", "shadow", "port", 8080))));
    assertThat(HttpRouteFilters.filters(c, Version.V1BETA1))
        .containsExactly(
            Map.of(
                "type",
                "RequestMirror",
                "requestMirror",
                Map.of("backendRef", Map.of("name", "shadow", "port", 8080), "percent", 20)));
  }
}
