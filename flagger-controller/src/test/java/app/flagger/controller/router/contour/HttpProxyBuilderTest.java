package app.flagger.controller.router.contour;

import static app.flagger.controller.router.contour.ContourFixtures.abTest;
import static app.flagger.controller.router.contour.ContourFixtures.at;
import static app.flagger.controller.router.contour.ContourFixtures.canary;
import static app.flagger.controller.router.contour.ContourFixtures.weights;
import static app.flagger.controller.router.contour.ContourFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTPProxy compared field by field with what Flagger's ContourRouter writes (as JSON). */
class HttpProxyBuilderTest {
  /** Flagger's Reconcile for newTestCanary: one route, primary 100, canary 0 (left out). */
  @Test
  void buildWritesFlaggersHttpProxyForItsTestCanary() {
    GenericKubernetesResource proxy = HttpProxyBuilder.build(canary(), "");

    assertThat(proxy.getApiVersion()).isEqualTo("projectcontour.io/v1");
    assertThat(proxy.getKind()).isEqualTo("HTTPProxy");
    assertThat(proxy.getMetadata().getName()).isEqualTo("podinfo");
    assertThat(proxy.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(proxy.getMetadata().getAnnotations())
        .containsEntry("kustomize.toolkit.fluxcd.io/reconcile", "disabled")
        .containsEntry("helm.toolkit.fluxcd.io/driftDetection", "disabled");
    assertThat(proxy.getAdditionalProperties().get("spec"))
        .isEqualTo(
            yaml(
                """
                routes:
                  - conditions:
                      - prefix: /podinfo
                    services:
                      - name: podinfo-primary
                        port: 9898
                        weight: 100
                        requestHeadersPolicy:
                          set:
                            - name: l5d-dst-override
                              value: podinfo-primary.default.svc.cluster.local:9898
                      - name: podinfo-canary
                        port: 9898
                        requestHeadersPolicy:
                          set:
                            - name: l5d-dst-override
                              value: podinfo-canary.default.svc.cluster.local:9898
                    retryPolicy:
                      count: 10
                      perTryTimeout: 30s
                      retryOn: [connect-failure, gateway-error]
                """));
  }

  @Test
  void theProxyIsOwnedByTheCanaryAsAController() {
    OwnerReference owner =
        HttpProxyBuilder.build(canary(), "").getMetadata().getOwnerReferences().get(0);

    assertThat(owner.getApiVersion()).isEqualTo("flagger.app/v1beta1");
    assertThat(owner.getKind()).isEqualTo("Canary");
    assertThat(owner.getName()).isEqualTo("podinfo");
    assertThat(owner.getUid()).isEqualTo("6f1c1d2e-0000-4000-8000-000000000004");
    assertThat(owner.getController()).isTrue();
    assertThat(owner.getBlockOwnerDeletion()).isTrue();
  }

  @Test
  void apexMetadataGoesOnTheProxyWithFluxsOptOut() {
    Canary c = canary("apex:\n  labels:\n    team: web\n  annotations:\n    note: hi", "");

    GenericKubernetesResource proxy = HttpProxyBuilder.build(c, "");

    assertThat(proxy.getMetadata().getLabels()).isEqualTo(Map.of("team", "web"));
    assertThat(proxy.getMetadata().getAnnotations())
        .containsEntry("note", "hi")
        .containsEntry("kustomize.toolkit.fluxcd.io/reconcile", "disabled");
  }

  /** Flagger's update case: port 8080 and timeout 1m (idle 5m, as Flagger sets it). */
  @Test
  void theTimeoutBecomesFlaggersTimeoutPolicy() {
    Map<String, Object> spec =
        HttpProxyBuilder.spec(
            canary(ContourFixtures.FLAGGER_SERVICE + "timeout: 1m", ""), "", Routes.allPrimary());

    assertThat((Object) at(spec, "routes", 0, "timeoutPolicy"))
        .isEqualTo(Map.of("response", "1m", "idle", "5m"));
  }

  @Test
  void theIngressClassIsWrittenOnlyWhenSet() {
    assertThat(HttpProxyBuilder.spec(canary(), "contour", Routes.allPrimary()))
        .containsEntry("ingressClassName", "contour");
    assertThat(HttpProxyBuilder.spec(canary(), "", Routes.allPrimary()))
        .doesNotContainKey("ingressClassName");
  }

  @Test
  void withoutAServiceMatchThePrefixIsTheRoot() {
    Map<String, Object> spec = HttpProxyBuilder.spec(canary("", ""), "", Routes.allPrimary());

    assertThat((Object) at(spec, "routes", 0, "conditions"))
        .isEqualTo(List.of(Map.of("prefix", "/")));
    assertThat(ContourFixtures.<Map<String, Object>>at(spec, "routes", 0))
        .doesNotContainKeys("retryPolicy", "timeoutPolicy");
  }

  /** Flagger's A/B spec: the header route with the weights, then the primary-only route. */
  @Test
  void anAbTestRoutesByHeaderThenSendsTheRestToThePrimary() {
    Map<String, Object> spec = HttpProxyBuilder.spec(abTest(), "", new Routes(0, 100, false));

    assertThat((Object) at(spec, "routes", 0, "conditions"))
        .isEqualTo(
            yaml("""
                    c:
                      - prefix: /podinfo
                        header:
                          name: x-user-type
                          exact: test
                    """)
                .get("c"));
    assertThat(weights(spec, 0)).containsExactly(0, 100);
    assertThat((Object) at(spec, "routes", 1, "conditions"))
        .isEqualTo(List.of(Map.of("prefix", "/podinfo")));
    assertThat(weights(spec, 1)).containsExactly(100, 0);
    assertThat(ContourFixtures.<Map<String, Object>>at(spec, "routes", 1))
        .containsKey("retryPolicy");
  }

  /** Flagger's header forms: suffix and prefix (which wins) become contains. */
  @Test
  void prefixAndSuffixHeadersBecomeContainsAsInFlagger() {
    Canary c =
        canary(
            "",
            """
            iterations: 5
            match:
              - headers:
                  user-agent:
                    prefix: Android
                  cookie:
                    suffix: insider
                  x-both:
                    prefix: p
                    suffix: s
                  x-exact-and-suffix:
                    exact: e
                    suffix: s
            """);

    List<Map<String, Object>> conditions =
        at(HttpProxyBuilder.spec(c, "", Routes.allPrimary()), "routes", 0, "conditions");

    assertThat(conditions)
        .extracting(m -> m.get("header"))
        .containsExactly(
            Map.of("name", "user-agent", "contains", "Android"),
            Map.of("name", "cookie", "contains", "insider"),
            Map.of("name", "x-both", "contains", "p"),
            Map.of("name", "x-exact-and-suffix", "contains", "s"));
  }

  /**
   * Every header of every match is ANDed on the one A/B route, as Flagger flattens them; the prefix
   * only on the first, as Contour refuses two prefixes in one route.
   */
  @Test
  void severalHeadersShareOneRouteWithThePrefixOnTheFirstOnly() {
    Canary c =
        canary(
            "",
            """
            iterations: 5
            match:
              - headers:
                  x-canary:
                    exact: insider
              - headers:
                  cookie:
                    suffix: canary
            """);

    List<Map<String, Object>> conditions =
        at(HttpProxyBuilder.spec(c, "", Routes.allPrimary()), "routes", 0, "conditions");

    assertThat(conditions).hasSize(2);
    assertThat(conditions.get(0)).containsEntry("prefix", "/");
    assertThat(conditions.get(1)).doesNotContainKey("prefix");
  }

  @Test
  void aRegexHeaderIsRefusedNamingTheField() {
    Canary c =
        canary(
            "",
            """
            iterations: 5
            match:
              - headers:
                  cookie:
                    regex: "^(.*?;)?(canary=always)(;.*)?$"
            """);

    assertThatThrownBy(() -> HttpProxyBuilder.spec(c, "", Routes.allPrimary()))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "analysis.match[0].headers.cookie: Contour matches headers by exact, prefix or"
                + " suffix (as contains); got regex");
  }

  @Test
  void aMatchWithoutHeadersIsRefused() {
    Canary c = canary("", "iterations: 5\nmatch:\n  - sourceLabels:\n      app: frontend");

    assertThatThrownBy(() -> HttpProxyBuilder.spec(c, "", Routes.allPrimary()))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith("analysis.match: the contour provider routes A/B tests by");
  }

  /** Flagger's SetRoutes: 50/50, and a weight of 0 left out as Go's omitempty writes it. */
  @Test
  void setRoutesWritesTheWeightsLeavingZeroOut() {
    Map<String, Object> half = HttpProxyBuilder.spec(canary(), "", new Routes(50, 50, false));
    Map<String, Object> allCanary = HttpProxyBuilder.spec(canary(), "", new Routes(0, 100, false));

    assertThat(weights(half, 0)).containsExactly(50, 50);
    assertThat(ContourFixtures.<Map<String, Object>>at(allCanary, "routes", 0, "services", 0))
        .doesNotContainKey("weight");
    assertThat(weights(allCanary, 0)).containsExactly(0, 100);
  }

  @Test
  void anEmptyRetryOnIsLeftOut() {
    Map<String, Object> spec =
        HttpProxyBuilder.spec(canary("retries:\n  attempts: 2", ""), "", Routes.allPrimary());

    assertThat((Object) at(spec, "routes", 0, "retryPolicy")).isEqualTo(Map.of("count", 2));
  }

  /** Flagger's Reconcile compares the specs ignoring the services' weights only. */
  @Test
  void differsIgnoresWeightsOnly() {
    Map<String, Object> reconciled = HttpProxyBuilder.spec(canary(), "", Routes.allPrimary());
    Map<String, Object> shifted = HttpProxyBuilder.spec(canary(), "", new Routes(40, 60, false));
    Map<String, Object> changed =
        HttpProxyBuilder.spec(
            canary(ContourFixtures.FLAGGER_SERVICE + "timeout: 5s", ""), "", Routes.allPrimary());

    assertThat(HttpProxyBuilder.differs(shifted, reconciled, "")).isFalse();
    assertThat(HttpProxyBuilder.differs(changed, reconciled, "")).isTrue();
    assertThat(HttpProxyBuilder.differs(reconciled, abSpec(), "")).isTrue();
  }

  /** The ingress class is Flagger's only when one is configured. */
  @Test
  void theIngressClassNameCountsOnlyWhenAClassIsConfigured() {
    Map<String, Object> withClass = HttpProxyBuilder.spec(canary(), "contour", Routes.allPrimary());
    Map<String, Object> other = new LinkedHashMap<>(withClass);
    other.put("ingressClassName", "other");

    assertThat(HttpProxyBuilder.differs(other, withClass, "contour")).isTrue();
    assertThat(
            HttpProxyBuilder.differs(
                other, HttpProxyBuilder.spec(canary(), "", Routes.allPrimary()), ""))
        .isFalse();
  }

  /** Flagger's GetRoutes: the primary's weight on the first route, the canary the rest. */
  @Test
  void routesReadsThePrimaryWeightOfTheFirstRoute() {
    assertThat(
            HttpProxyBuilder.routes(
                HttpProxyBuilder.spec(abTest(), "", new Routes(0, 100, false)),
                abTest(),
                "podinfo.default"))
        .isEqualTo(new Routes(0, 100, false));
    assertThat(
            HttpProxyBuilder.routes(
                HttpProxyBuilder.spec(canary(), "", new Routes(70, 30, false)),
                canary(),
                "podinfo.default"))
        .isEqualTo(new Routes(70, 30, false));
  }

  @Test
  void routesWithoutTwoServicesFailAsInFlagger() {
    assertThatThrownBy(() -> HttpProxyBuilder.routes(Map.of(), canary(), "podinfo.default"))
        .isInstanceOf(RouterException.class)
        .hasMessage("HTTPProxy podinfo.default services not found");
    Map<String, Object> foreign =
        yaml(
            "routes:\n  - services:\n      - name: a\n        port: 80\n      - name: b\n        port: 80");
    assertThatThrownBy(() -> HttpProxyBuilder.routes(foreign, canary(), "podinfo.default"))
        .isInstanceOf(RouterException.class)
        .hasMessage("HTTPProxy podinfo.default does not contain a service podinfo-primary");
  }

  private static Map<String, Object> abSpec() {
    return HttpProxyBuilder.spec(abTest(), "", Routes.allPrimary());
  }
}
