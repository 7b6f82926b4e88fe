package app.flagger.controller.router.istio;

import static app.flagger.controller.router.istio.IstioFixtures.canary;
import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The three-way split of a Canary with a same-age baseline ({@code analysis.baseline: true}). */
class IstioBaselineRoutesTest {
  private static final Canary BASELINE =
      canary("", "stepWeight: 10\nmaxWeight: 50\nbaseline: true");

  private static Map<String, Object> dest(String host, int weight) {
    return Map.of("destination", Map.of("host", host), "weight", weight);
  }

  private static List<Map<String, Object>> http(Canary canary, Routes routes) {
    return IstioVirtualServiceBuilder.httpRoutes(canary, routes, new SessionCookies.None());
  }

  @Test
  void theBaselineTakesTheCanarysShareFromThePrimary() {
    assertThat(http(BASELINE, new Routes(80, 20, false)))
        .isEqualTo(
            List.of(
                Map.of(
                    "route",
                    List.of(
                        dest("podinfo-primary", 60),
                        dest("podinfo-canary", 20),
                        dest("podinfo-baseline", 20)))));
  }

  @Test
  void atHalfTheCanaryAndTheBaselineTakeEverything() {
    assertThat(http(BASELINE, new Routes(50, 50, false)))
        .isEqualTo(
            List.of(
                Map.of(
                    "route",
                    List.of(
                        dest("podinfo-primary", 0),
                        dest("podinfo-canary", 50),
                        dest("podinfo-baseline", 50)))));
  }

  @Test
  void withoutCanaryTrafficThereIsNoBaselineDestination() {
    assertThat(http(BASELINE, Routes.allPrimary()))
        .isEqualTo(
            List.of(
                Map.of("route", List.of(dest("podinfo-primary", 100), dest("podinfo-canary", 0)))));
  }

  @Test
  void aFailedPromotionGivesTheBaselineNothing() {
    assertThat(http(BASELINE, new Routes(0, 100, false)))
        .isEqualTo(
            List.of(
                Map.of("route", List.of(dest("podinfo-primary", 0), dest("podinfo-canary", 100)))));
  }

  @Test
  void withoutBaselineTheSplitIsTwoWay() {
    Canary plain = canary("", "stepWeight: 10\nmaxWeight: 50");
    assertThat(http(plain, new Routes(80, 20, false)))
        .isEqualTo(
            List.of(
                Map.of("route", List.of(dest("podinfo-primary", 80), dest("podinfo-canary", 20)))));
  }

  @Test
  void tcpRoutesSplitThreeWaysToo() {
    Canary tcp = canary("appProtocol: tcp", "stepWeight: 10\nmaxWeight: 50\nbaseline: true");
    assertThat(IstioVirtualServiceBuilder.tcpRoutes(tcp, 70, 30))
        .isEqualTo(
            List.of(
                Map.of(
                    "route",
                    List.of(
                        dest("podinfo-primary", 40),
                        dest("podinfo-canary", 30),
                        dest("podinfo-baseline", 30)))));
  }

  @Test
  void theReaderFoldsTheBaselineBackIntoThePrimary() {
    Map<String, Object> spec = Map.of("http", http(BASELINE, new Routes(70, 30, false)));
    assertThat(VirtualServiceDiff.routes(spec, "podinfo", "test", false))
        .isEqualTo(new Routes(70, 30, false));
  }

  @Test
  void reconcileLeavesTheBaselineDestinationToSetRoutes() {
    Map<String, Object> desired = IstioVirtualServiceBuilder.spec(BASELINE);
    Map<String, Object> current = IstioVirtualServiceBuilder.spec(BASELINE);
    current.put("http", http(BASELINE, new Routes(70, 30, false)));
    assertThat(VirtualServiceDiff.comparable(current, false, "podinfo-baseline"))
        .isEqualTo(VirtualServiceDiff.comparable(desired, false, "podinfo-baseline"));
  }

  @Test
  void theBaselinesDestinationRuleIsLikeTheCanarys() {
    Canary withPolicy =
        canary(
            "trafficPolicy:\n  tls:\n    mode: ISTIO_MUTUAL",
            "stepWeight: 10\nmaxWeight: 50\nbaseline: true");
    assertThat(IstioDestinationRuleBuilder.spec(withPolicy, "podinfo-baseline"))
        .isEqualTo(
            Map.of(
                "host",
                "podinfo-baseline",
                "trafficPolicy",
                Map.of("tls", Map.of("mode", "ISTIO_MUTUAL"))));
  }
}
