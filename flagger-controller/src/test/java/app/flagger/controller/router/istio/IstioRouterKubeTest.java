package app.flagger.controller.router.istio;

import static app.flagger.controller.router.istio.IstioFixtures.FULL_SERVICE;
import static app.flagger.controller.router.istio.IstioFixtures.canary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class IstioRouterKubeTest {
  KubernetesClient client;

  /** Every cookie letter is 'a'. */
  private static final RandomGenerator ZEROS = () -> 0L;

  private IstioRouter router() {
    return new IstioRouter(client, ZEROS);
  }

  private GenericKubernetesResource vs() {
    return client
        .genericKubernetesResources(IstioObjects.VIRTUAL_SERVICES)
        .inNamespace("test")
        .withName("podinfo")
        .get();
  }

  private GenericKubernetesResource dr(String name) {
    return client
        .genericKubernetesResources(IstioObjects.DESTINATION_RULES)
        .inNamespace("test")
        .withName(name)
        .get();
  }

  @SuppressWarnings("unchecked")
  private static <T> T at(Object root, Object... path) {
    Object cur = root instanceof GenericKubernetesResource r ? r.getAdditionalProperties() : root;
    for (Object p : path) {
      cur =
          p instanceof Integer i ? ((List<Object>) cur).get(i) : ((Map<String, Object>) cur).get(p);
    }
    return (T) cur;
  }

  private static Object weight(Object route, int i) {
    return ((Number) at(route, "route", i, "weight")).intValue();
  }

  @Test
  void createsDestinationRulesAndVirtualService() {
    router().reconcile(canary(FULL_SERVICE, ""));

    for (String name : List.of("podinfo-primary", "podinfo-canary")) {
      GenericKubernetesResource dr = dr(name);
      assertThat(at(dr, "spec", "host").toString()).isEqualTo(name);
      assertThat(at(dr, "spec", "trafficPolicy", "tls", "mode").toString())
          .isEqualTo("ISTIO_MUTUAL");
      assertThat(dr.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("Canary");
    }
    GenericKubernetesResource vs = vs();
    assertThat(vs.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("podinfo");
    assertThat(vs.getMetadata().getLabels()).containsEntry("team", "web");
    assertThat(vs.getMetadata().getAnnotations())
        .containsEntry("owner", "web-team")
        .containsEntry("kustomize.toolkit.fluxcd.io/reconcile", "disabled");
    assertThat((List<Object>) at(vs, "spec", "hosts"))
        .containsExactly("app.example.com", "podinfo");
    assertThat((List<Object>) at(vs, "spec", "gateways")).containsExactly("public-gateway");
    Object http = at(vs, "spec", "http", 0);
    assertThat(at(http, "match", 0, "uri", "prefix").toString()).isEqualTo("/api");
    assertThat(at(http, "rewrite", "uri").toString()).isEqualTo("/");
    assertThat(at(http, "timeout").toString()).isEqualTo("30s");
    assertThat(((Number) at(http, "retries", "attempts")).intValue()).isEqualTo(3);
    assertThat(at(http, "retries", "retryOn").toString())
        .isEqualTo("gateway-error,connect-failure");
    assertThat(at(http, "headers", "request", "add", "x-envoy-upstream-rq-timeout-ms").toString())
        .isEqualTo("15000");
    assertThat(at(http, "corsPolicy", "allowOrigins", 0, "exact").toString())
        .isEqualTo("https://example.com");
    assertThat(at(http, "route", 0, "destination", "host").toString()).isEqualTo("podinfo-primary");
    assertThat(weight(http, 0)).isEqualTo(100);
    assertThat(at(http, "route", 1, "destination", "host").toString()).isEqualTo("podinfo-canary");
    assertThat(weight(http, 1)).isEqualTo(0);
    assertThat(router().getRoutes(canary(FULL_SERVICE, ""))).isEqualTo(Routes.allPrimary());
  }

  @Test
  void aChangedTrafficPolicyUpdatesBothDestinationRules() {
    router().reconcile(canary(FULL_SERVICE, ""));

    router().reconcile(canary(FULL_SERVICE.replace("ISTIO_MUTUAL", "DISABLE"), ""));

    for (String name : List.of("podinfo-primary", "podinfo-canary")) {
      assertThat(at(dr(name), "spec", "trafficPolicy", "tls", "mode").toString())
          .isEqualTo("DISABLE");
      assertThat(at(dr(name), "spec", "host").toString()).isEqualTo(name);
    }
  }

  @Test
  void updateKeepsUserFieldsAndWeights() {
    IstioRouter router = router();
    router.reconcile(canary(FULL_SERVICE, ""));
    router.setRoutes(canary(FULL_SERVICE, ""), new Routes(60, 40, false));
    GenericKubernetesResource vs = vs();
    Map<String, Object> spec = new LinkedHashMap<>(at(vs, "spec"));
    spec.put("exportTo", List.of("."));
    vs.setAdditionalProperty("spec", spec);
    vs.getMetadata().getLabels().put("user", "kept");
    client
        .genericKubernetesResources(IstioObjects.VIRTUAL_SERVICES)
        .inNamespace("test")
        .resource(vs)
        .update();

    // Same canary: nothing to change, weights stay.
    router.reconcile(canary(FULL_SERVICE, ""));
    assertThat(router.getRoutes(canary(FULL_SERVICE, ""))).isEqualTo(new Routes(60, 40, false));

    // New timeout: Flagger's fields are rewritten, the user's are kept.
    Canary changed = canary(FULL_SERVICE.replace("timeout: 30s", "timeout: 5s"), "");
    router.reconcile(changed);
    vs = vs();
    assertThat(at(vs, "spec", "http", 0, "timeout").toString()).isEqualTo("5s");
    assertThat((List<Object>) at(vs, "spec", "exportTo")).containsExactly(".");
    assertThat(vs.getMetadata().getLabels())
        .containsEntry("user", "kept")
        .containsEntry("team", "web");
  }

  @Test
  void takesOverAUserVirtualServiceAndRestoresItOnFinalize() {
    Map<String, Object> userSpec =
        Map.of(
            "hosts", List.of("podinfo"),
            "http",
                List.of(
                    Map.of("route", List.of(Map.of("destination", Map.of("host", "podinfo"))))));
    GenericKubernetesResource user =
        IstioObjects.resource(
            "VirtualService",
            new ObjectMetaBuilder().withName("podinfo").withNamespace("test").build(),
            userSpec);
    client
        .genericKubernetesResources(IstioObjects.VIRTUAL_SERVICES)
        .inNamespace("test")
        .resource(user)
        .create();

    Canary canary = canary("", "");
    router().reconcile(canary);
    GenericKubernetesResource vs = vs();
    assertThat(vs.getMetadata().getAnnotations()).containsKey(IstioObjects.ORIGINAL_CONFIGURATION);
    assertThat(router().getRoutes(canary)).isEqualTo(Routes.allPrimary());

    router().finalize(canary);
    assertThat(at(vs(), "spec", "http", 0, "route", 0, "destination", "host").toString())
        .isEqualTo("podinfo");
  }

  @Test
  void setsWeights() {
    Canary canary = canary("", "");
    router().reconcile(canary);
    router().setRoutes(canary, new Routes(70, 30, false));
    assertThat(router().getRoutes(canary)).isEqualTo(new Routes(70, 30, false));
    assertThat(weight(at(vs(), "spec", "http", 0), 1)).isEqualTo(30);
  }

  @Test
  void abTestingRoutesTheMatchToTheWeightsAndTheRestToThePrimary() {
    Canary canary =
        canary(
            "match:\n  - uri:\n      prefix: /api",
            """
            iterations: 10
            match:
              - headers:
                  x-canary:
                    exact: insider
            """);
    router().reconcile(canary);
    router().setRoutes(canary, new Routes(0, 100, false));
    GenericKubernetesResource vs = vs();
    Object ab = at(vs, "spec", "http", 0);
    assertThat(at(ab, "match", 0, "headers", "x-canary", "exact").toString()).isEqualTo("insider");
    assertThat(at(ab, "match", 0, "uri", "prefix").toString()).isEqualTo("/api");
    assertThat(weight(ab, 0)).isEqualTo(0);
    assertThat(weight(ab, 1)).isEqualTo(100);
    Object rest = at(vs, "spec", "http", 1);
    assertThat(at(rest, "match", 0, "uri", "prefix").toString()).isEqualTo("/api");
    assertThat((List<Object>) at(rest, "route")).hasSize(1);
    assertThat(at(rest, "route", 0, "destination", "host").toString()).isEqualTo("podinfo-primary");
    assertThat(router().getRoutes(canary)).isEqualTo(new Routes(0, 100, false));
  }

  @Test
  void mirrorsToTheCanaryWithMirrorWeight() {
    Canary canary = canary("", "mirror: true\nmirrorWeight: 50\niterations: 5");
    router().reconcile(canary);
    router().setRoutes(canary, new Routes(100, 0, true));
    Object http = at(vs(), "spec", "http", 0);
    assertThat(at(http, "mirror", "host").toString()).isEqualTo("podinfo-canary");
    assertThat(((Number) at(http, "mirrorPercentage", "value")).doubleValue()).isEqualTo(50.0);
    assertThat(router().getRoutes(canary)).isEqualTo(new Routes(100, 0, true));
    router().setRoutes(canary, new Routes(90, 10, false));
    assertThat(router().getRoutes(canary)).isEqualTo(new Routes(90, 10, false));
  }

  @Test
  void sessionAffinityAddsStickyRoutesAndExpiresTheCookie() {
    Canary canary =
        canary(
            "",
            """
            stepWeight: 10
            maxWeight: 50
            sessionAffinity:
              cookieName: flagger-cookie
              maxAge: 21600
            """);
    IstioRouter router = router();
    router.reconcile(canary);
    router.setRoutes(canary, new Routes(90, 10, false));

    assertThat(canary.getStatus().sessionAffinityCookie()).isEqualTo("flagger-cookie=aaaaaaaaaa");
    GenericKubernetesResource vs = vs();
    Object sticky = at(vs, "spec", "http", 0);
    assertThat(at(sticky, "match", 0, "headers", "Cookie", "regex").toString())
        .isEqualTo(".*flagger-cookie.*aaaaaaaaaa.*");
    assertThat(weight(sticky, 0)).isEqualTo(0);
    assertThat(weight(sticky, 1)).isEqualTo(100);
    Object weighted = at(vs, "spec", "http", 1);
    assertThat(at(weighted, "route", 1, "headers", "response", "add", "Set-Cookie").toString())
        .isEqualTo("flagger-cookie=aaaaaaaaaa; Max-Age=21600");
    assertThat(router.getRoutes(canary)).isEqualTo(new Routes(90, 10, false));

    // The sticky route survives a reconcile.
    router.reconcile(canary);
    assertThat((List<Object>) at(vs(), "spec", "http")).hasSize(2);

    // Back to zero: the cookie moves to previous and is deleted with Max-Age=-1.
    router.setRoutes(canary, Routes.allPrimary());
    assertThat(canary.getStatus().sessionAffinityCookie()).isEmpty();
    assertThat(canary.getStatus().previousSessionAffinityCookie())
        .isEqualTo("flagger-cookie=aaaaaaaaaa");
    Object expire = at(vs(), "spec", "http", 0);
    assertThat(at(expire, "headers", "response", "add", "Set-Cookie").toString())
        .isEqualTo("flagger-cookie=aaaaaaaaaa; Max-Age=-1");
    assertThat(router.getRoutes(canary)).isEqualTo(Routes.allPrimary());
  }

  @Test
  void primaryCookieIsSetForTheIntervalAndReused() {
    Canary canary =
        canary(
            "",
            """
            stepWeight: 10
            sessionAffinity:
              cookieName: canary-cookie
              primaryCookieName: primary-cookie
            """);
    router().reconcile(canary);
    router().setRoutes(canary, new Routes(90, 10, false));
    GenericKubernetesResource vs = vs();
    assertThat(at(vs, "spec", "http", 1, "match", 0, "headers", "Cookie", "regex").toString())
        .isEqualTo(".*primary-cookie.*aaaaaaaaaa.*");
    assertThat(
            at(vs, "spec", "http", 2, "route", 0, "headers", "response", "add", "Set-Cookie")
                .toString())
        .isEqualTo("primary-cookie=aaaaaaaaaa; Max-Age=60");
    assertThat(canary.getStatus().primarySessionAffinityCookie())
        .isEqualTo("primary-cookie=aaaaaaaaaa");
  }

  @Test
  void tcpServicesGetATcpRoute() {
    Canary canary =
        canary(
            "appProtocol: tcp\nportDiscovery: true\ngateways: [tcp-gateway]\nmatch:\n  - port: 9898",
            "");
    router().reconcile(canary);
    GenericKubernetesResource vs = vs();
    assertThat(((Number) at(vs, "spec", "tcp", 0, "match", 0, "port")).intValue()).isEqualTo(9898);
    assertThat((Object) at(vs, "spec", "http")).isNull();
    router().setRoutes(canary, new Routes(70, 30, false));
    assertThat(router().getRoutes(canary)).isEqualTo(new Routes(70, 30, false));
    assertThat(
            ((Number) at(vs(), "spec", "tcp", 0, "route", 1, "destination", "port", "number"))
                .intValue())
        .isEqualTo(9898);
  }

  @Test
  void getRoutesErrors() {
    Canary canary = canary("", "");
    assertThatThrownBy(() -> router().getRoutes(canary))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "VirtualService podinfo.test get query error virtualservices.networking.istio.io"
                + " \"podinfo\" not found");
    GenericKubernetesResource other =
        IstioObjects.resource(
            "VirtualService",
            new ObjectMetaBuilder().withName("podinfo").withNamespace("test").build(),
            Map.of(
                "http",
                List.of(Map.of("route", List.of(Map.of("destination", Map.of("host", "other")))))));
    client
        .genericKubernetesResources(IstioObjects.VIRTUAL_SERVICES)
        .inNamespace("test")
        .resource(other)
        .create();
    assertThatThrownBy(() -> router().getRoutes(canary))
        .hasMessage(
            "VirtualService podinfo.test does not contain routes for podinfo-primary and"
                + " podinfo-canary");
  }

  @Test
  void weightsThatDoNotAddUpAreARouterError() {
    Canary canary = canary("", "");
    router().reconcile(canary);
    GenericKubernetesResource vs = vs();
    Map<String, Object> route = at(vs, "spec", "http", 0, "route", 0);
    route.put("weight", 50);
    client
        .genericKubernetesResources(IstioObjects.VIRTUAL_SERVICES)
        .inNamespace("test")
        .resource(vs)
        .update();
    assertThatThrownBy(() -> router().getRoutes(canary))
        .isInstanceOf(RouterException.class)
        .hasMessage("VirtualService podinfo.test weights primary 50 canary 0 do not add up to 100");
  }
}
