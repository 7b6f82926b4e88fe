package app.flagger.controller.router.gatewayapi;

import static app.flagger.controller.router.gatewayapi.GatewayApiFixtures.canary;
import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.router.Routes;
import app.flagger.controller.router.gatewayapi.HttpRouteBuilder.Version;
import app.flagger.controller.router.istio.SessionCookies;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every route the builder writes, read into fabric8's typed Gateway API model (v1 and v1beta1): no
 * field may end up in the model's additional properties, so every name and shape we write is one
 * the Gateway API schema has.
 */
class HttpRouteSchemaTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final String MODEL = "io.fabric8.kubernetes.api.model.gatewayapi";

  /** A Canary using every field the builder maps. */
  private static Canary full(String analysis) {
    return canary(
        """
        gatewayRefs:
          - name: public
            namespace: gateway-system
            sectionName: https
            port: 443
            group: gateway.networking.k8s.io
            kind: Gateway
        hosts: [app.example.com]
        match:
          - uri:
              prefix: /api
            method:
              exact: GET
            headers:
              x-tenant:
                exact: a
            queryParams:
              v:
                regex: "[0-9]+"
        headers:
          request:
            add: {x-a: "1"}
            set: {x-b: "2"}
            remove: [x-c]
          response:
            set: {x-d: "4"}
        rewrite:
          uri: /v2
          authority: api.example.com
        mirror:
          - backendRef:
              name: shadow
              port: 8080
            percent: 10
        corsPolicy:
          allowOrigin: [https://example.com]
          allowMethods: [GET]
          allowHeaders: [Content-Type]
          exposeHeaders: [X-Id]
          allowCredentials: true
          maxAge: 1h
        apex:
          labels: {team: web}
        """,
        analysis);
  }

  private static List<GenericKubernetesResource> routes(Version v) {
    List<GenericKubernetesResource> out = new ArrayList<>();
    Canary ab =
        full(
            "iterations: 5\nmirror: true\nmatch:\n  - headers:\n      x-canary:\n        exact: on");
    out.add(HttpRouteBuilder.build(ab, v));
    out.add(withSpec(ab, v, HttpRouteBuilder.spec(ab, v, new Routes(100, 0, true), none())));
    Canary sticky =
        full(
            "sessionAffinity:\n  cookieName: c\n  primaryCookieName: p\n  maxAge: 60\n"
                + "  domain: example.com\n  secure: true");
    out.add(withSpec(sticky, v, setRoutes(sticky, v, 90, 10)));
    out.add(withSpec(sticky, v, setRoutes(sticky, v, 100, 0)));
    return out;
  }

  private static SessionCookies none() {
    return new SessionCookies.None();
  }

  private static Map<String, Object> setRoutes(Canary c, Version v, int p, int w) {
    return HttpRouteBuilder.spec(
        c, v, new Routes(p, w, false), SessionCookies.next(c, w, () -> 0L));
  }

  private static GenericKubernetesResource withSpec(Canary c, Version v, Map<String, Object> spec) {
    GenericKubernetesResource r = HttpRouteBuilder.build(c, v);
    r.setAdditionalProperty("spec", spec);
    return r;
  }

  @Test
  void everyV1RouteFitsTheTypedV1Model() throws Exception {
    assertFits(Version.V1, io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class);
  }

  @Test
  void everyV1beta1RouteFitsTheTypedV1beta1Model() throws Exception {
    assertFits(Version.V1BETA1, io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.HTTPRoute.class);
  }

  private static void assertFits(Version v, Class<?> model) throws Exception {
    List<GenericKubernetesResource> all = routes(v);
    for (int i = 0; i < all.size(); i++) {
      Object typed = JSON.unmarshal(JSON.asJson(all.get(i)), model);
      assertThat(unknownFields(typed, "HTTPRoute")).as("route %d", i).isEmpty();
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theCheckFindsAMisspelledField() throws Exception {
    GenericKubernetesResource r = HttpRouteBuilder.build(canary(), Version.V1);
    Map<String, Object> rule =
        (Map<String, Object>)
            ((List<Object>)
                    ((Map<String, Object>) r.getAdditionalProperties().get("spec")).get("rules"))
                .get(0);
    ((Map<String, Object>) ((List<Object>) rule.get("backendRefs")).get(0)).put("wieght", 1);

    var typed =
        JSON.unmarshal(
            JSON.asJson(r), io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class);

    assertThat(unknownFields(typed, "HTTPRoute"))
        .containsExactly("HTTPRoute.Spec.Rules[0].BackendRefs[0] [wieght]");
  }

  /** Paths of additional properties anywhere in a Gateway API model object. */
  private static List<String> unknownFields(Object o, String path) throws Exception {
    List<String> out = new ArrayList<>();
    if (o instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        out.addAll(unknownFields(l.get(i), path + "[" + i + "]"));
      }
      return out;
    }
    if (o == null || !o.getClass().getName().startsWith(MODEL)) {
      return out;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || !m.getName().startsWith("get")) {
        continue;
      }
      Object value = m.invoke(o);
      if (m.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          out.add(path + " " + extra.keySet());
        }
      } else {
        out.addAll(unknownFields(value, path + "." + m.getName().substring(3)));
      }
    }
    return out;
  }
}
