package app.flagger.controller.router.gatewayapi;

import static app.flagger.controller.router.gatewayapi.GatewayApiFixtures.at;
import static app.flagger.controller.router.gatewayapi.GatewayApiFixtures.backend;
import static app.flagger.controller.router.gatewayapi.GatewayApiFixtures.canary;
import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.router.Routes;
import app.flagger.controller.router.gatewayapi.HttpRouteBuilder.Version;
import app.flagger.controller.router.istio.SessionCookies;
import app.flagger.model.canary.Canary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTPRoute of a Canary with a same-age baseline ({@code analysis.baseline: true}). */
class HttpRouteBaselineTest {
  private static final Canary BASELINE = canary("", "baseline: true");

  private static Map<String, Object> setRoutes(Canary c, Routes routes) {
    return HttpRouteBuilder.spec(c, Version.V1, routes, new SessionCookies.None());
  }

  @Test
  void theBaselineTakesTheCanarysShareFromThePrimary() {
    Map<String, Object> spec = setRoutes(BASELINE, new Routes(70, 30, false));
    assertThat(spec)
        .isEqualTo(
            Map.of(
                "parentRefs",
                List.of(Map.of("name", "podinfo")),
                "rules",
                List.of(
                    Map.of(
                        "matches",
                        List.of(Map.of("path", Map.of("type", "PathPrefix", "value", "/"))),
                        "backendRefs",
                        List.of(
                            backend("podinfo-primary", 40),
                            backend("podinfo-canary", 30),
                            backend("podinfo-baseline", 30)),
                        "timeouts",
                        Map.of("request", "10s", "backendRequest", "5s")))));
  }

  @Test
  void withoutCanaryTrafficThereIsNoBaselineBackend() {
    Map<String, Object> spec = setRoutes(BASELINE, Routes.allPrimary());
    assertThat((List<Object>) at(spec, "rules", 0, "backendRefs"))
        .containsExactly(backend("podinfo-primary", 100), backend("podinfo-canary", 0));
  }

  @Test
  void withoutBaselineTheSplitIsTwoWay() {
    Map<String, Object> spec = setRoutes(canary(), new Routes(70, 30, false));
    assertThat((List<Object>) at(spec, "rules", 0, "backendRefs"))
        .containsExactly(backend("podinfo-primary", 70), backend("podinfo-canary", 30));
  }

  @Test
  void theReaderFoldsTheBaselineBackIntoThePrimary() {
    Map<String, Object> spec = setRoutes(BASELINE, new Routes(80, 20, false));
    assertThat(HttpRouteDiff.routes(spec, BASELINE, "podinfo.default"))
        .isEqualTo(new Routes(80, 20, false));
  }

  @Test
  void reconcileLeavesTheBaselineBackendToSetRoutes() {
    Map<String, Object> current = setRoutes(BASELINE, new Routes(80, 20, false));
    Map<String, Object> desired = HttpRouteBuilder.spec(BASELINE, Version.V1);
    assertThat(HttpRouteDiff.differs(current, desired, BASELINE)).isFalse();
  }
}
