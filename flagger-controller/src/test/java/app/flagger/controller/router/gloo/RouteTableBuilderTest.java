package app.flagger.controller.router.gloo;

import static app.flagger.controller.router.gloo.GlooFixtures.abTest;
import static app.flagger.controller.router.gloo.GlooFixtures.canary;
import static app.flagger.controller.support.Trees.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.controller.support.Trees;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The RouteTable against what Flagger's GlooRouter writes for the same Canary. */
class RouteTableBuilderTest {
  /** Flagger's RouteTableSpec for newTestCanary with primary 100 / canary 0, as JSON writes it. */
  private static final String FLAGGER_ROUTES =
      """
      routes:
        - routeAction:
            multi:
              destinations:
                - destination:
                    upstream:
                      name: default-podinfo-primaryupstream-9898
                      namespace: default
                  weight: 100
                - destination:
                    upstream:
                      name: default-podinfo-canaryupstream-9898
                      namespace: default
          inheritablePathMatchers: true
      """;

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  @Test
  void buildWritesFlaggersRouteTableForTheCanary() {
    GenericKubernetesResource rt = RouteTableBuilder.build(canary());

    assertThat(rt.getApiVersion()).isEqualTo("gateway.solo.io/v1");
    assertThat(rt.getKind()).isEqualTo("RouteTable");
    assertThat(rt.getMetadata().getName()).isEqualTo("podinfo");
    assertThat(rt.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(rt.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("Canary");
              assertThat(o.getName()).isEqualTo("podinfo");
              assertThat(o.getController()).isTrue();
            });
    assertThat(rt.getMetadata().getAnnotations())
        .containsEntry("kustomize.toolkit.fluxcd.io/reconcile", "disabled")
        .containsEntry("helm.toolkit.fluxcd.io/driftDetection", "disabled");
    assertThat(spec(rt)).isEqualTo(yaml(FLAGGER_ROUTES));
  }

  @Test
  void apexMetadataGoesOnTheRouteTable() {
    Canary c =
        canary(
            GlooFixtures.FLAGGER_SERVICE
                + "apex:\n  labels:\n    team: web\n  annotations:\n    note: hi",
            GlooFixtures.PROGRESSIVE);

    GenericKubernetesResource rt = RouteTableBuilder.build(c);

    assertThat(rt.getMetadata().getLabels()).containsEntry("team", "web");
    assertThat(rt.getMetadata().getAnnotations()).containsEntry("note", "hi");
  }

  @Test
  void namesFollowTheServiceNameAndPort() {
    Canary c = canary("name: frontend\nport: 80", GlooFixtures.PROGRESSIVE);

    List<Object> routes = RouteTableBuilder.routes(c, new Routes(70, 30, false));

    assertThat(RouteTableBuilder.build(c).getMetadata().getName()).isEqualTo("frontend");
    assertThat(routes.toString())
        .contains("name=default-frontend-primaryupstream-80")
        .contains("name=default-frontend-canaryupstream-80");
    assertThat(GlooFixtures.weights(Map.of("routes", routes), 0)).containsExactly(70, 30);
  }

  /**
   * Flagger's A/B route (newTestABTest: header {@code x-user-type} exact {@code test}), then the
   * route that keeps everyone else on the primary, which Flagger does not write.
   */
  @Test
  void abTestMatchesTheHeadersAndKeepsTheRestOnThePrimary() {
    List<Object> routes = RouteTableBuilder.routes(abTest(), new Routes(0, 100, false));

    assertThat(routes).hasSize(2);
    assertThat(Trees.<Object>at(routes, 0, "matchers"))
        .isEqualTo(
            List.of(Map.of("headers", List.of(Map.of("name", "x-user-type", "value", "test")))));
    assertThat(GlooFixtures.weights(Map.of("routes", routes), 0)).containsExactly(0, 100);
    assertThat((Map<String, Object>) Trees.at(routes, 1)).doesNotContainKey("matchers");
    assertThat(Trees.<Boolean>at(routes, 1, "inheritablePathMatchers")).isTrue();
    assertThat(GlooFixtures.weights(Map.of("routes", routes), 1)).containsExactly(100, 0);
  }

  @Test
  void headerFormsBecomeGlooHeaderMatchers() {
    Canary c =
        abTest(
            """
            - headers:
                user-agent:
                  regex: ".*Firefox.*"
                x-prefix:
                  prefix: "a.b"
                x-suffix:
                  suffix: "(v1)"
              method:
                exact: GET
              queryParams:
                beta:
                  exact: "on"
            """);

    List<Object> matchers = RouteTableBuilder.matchers(c);

    assertThat(matchers)
        .containsExactly(
            yaml(
                """
                headers:
                  - name: user-agent
                    value: .*Firefox.*
                    regex: true
                  - name: x-prefix
                    value: a\\.b.*
                    regex: true
                  - name: x-suffix
                    value: .*\\(v1\\)
                    regex: true
                queryParameters:
                  - name: beta
                    value: "on"
                methods: [GET]
                """));
  }

  /** Gloo ORs a route's matchers, as Istio ORs match entries; Flagger flattens them into one. */
  @Test
  void eachMatchEntryIsOneMatcher() {
    Canary c =
        abTest(
            """
            - headers:
                x-canary:
                  exact: insider
            - headers:
                cookie:
                  regex: "^(.*?;)?(canary=always)(;.*)?$"
            """);

    assertThat(RouteTableBuilder.matchers(c)).hasSize(2);
  }

  @Test
  void aMatchEntryWithNothingGlooMatchesOnIsRefused() {
    Canary c = abTest("- sourceLabels:\n    app: frontend\n");

    assertThatThrownBy(() -> RouteTableBuilder.routes(c, Routes.allPrimary()))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith(
            "spec.analysis.match[0]: the gloo provider needs headers, queryParams or method");
  }

  @Test
  void aNonExactMethodIsRefused() {
    Canary c = abTest("- method:\n    prefix: G\n");

    assertThatThrownBy(() -> RouteTableBuilder.matchers(c))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "spec.analysis.match[0].method: the gloo provider matches methods by exact value only");
  }

  @Test
  void differsIgnoresTheWeightsOnly() {
    Canary c = canary();
    Map<String, Object> held =
        new LinkedHashMap<>(
            Map.of("routes", RouteTableBuilder.routes(c, new Routes(60, 40, false))));

    assertThat(RouteTableBuilder.differs(held, c)).isFalse();
    assertThat(RouteTableBuilder.differs(held, abTest())).isTrue();
    assertThat(RouteTableBuilder.differs(held, canary("port: 80", GlooFixtures.PROGRESSIVE)))
        .isTrue();
    assertThat(RouteTableBuilder.differs(new LinkedHashMap<>(), c)).isTrue();
  }

  @Test
  void weightsReadThePrimaryDestinationOfTheFirstRoute() {
    Canary c = abTest();
    Map<String, Object> spec =
        Map.of("routes", RouteTableBuilder.routes(c, new Routes(0, 100, false)));

    assertThat(RouteTableBuilder.weights(spec, c, "podinfo.default"))
        .isEqualTo(new Routes(0, 100, false));
    assertThat(RouteTableBuilder.weights(yaml(FLAGGER_ROUTES), canary(), "podinfo.default"))
        .isEqualTo(Routes.allPrimary());
  }

  @Test
  void weightsWithoutTwoDestinationsIsFlaggersError() {
    assertThatThrownBy(
            () ->
                RouteTableBuilder.weights(Map.of("routes", List.of()), canary(), "podinfo.default"))
        .isInstanceOf(RouterException.class)
        .hasMessage("RouteTable podinfo.default destinations not found");
  }

  @Test
  void quoteEscapesRegexMetacharacters() {
    assertThat(RouteTableBuilder.quote("a.b*c[d]")).isEqualTo("a\\.b\\*c\\[d\\]");
  }
}
