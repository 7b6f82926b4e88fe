package app.flagger.controller.router.istio;

import static app.flagger.controller.router.istio.IstioFixtures.canary;
import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.router.Routes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IstioVirtualServiceBuilderTest {
  @Test
  void defaultsToTheMeshGatewayAndTheApexHost() {
    Map<String, Object> spec = IstioVirtualServiceBuilder.spec(canary("", ""));
    assertThat(spec.get("hosts")).isEqualTo(List.of("podinfo"));
    assertThat(spec.get("gateways")).isEqualTo(List.of("mesh"));
    assertThat(spec.get("http").toString())
        .isEqualTo(
            "[{route=[{destination={host=podinfo-primary}, weight=100},"
                + " {destination={host=podinfo-canary}, weight=0}]}]");
  }

  @Test
  void aWildcardHostNeedsNoApex() {
    Map<String, Object> spec = IstioVirtualServiceBuilder.spec(canary("hosts: ['*']", ""));
    assertThat(spec.get("hosts")).isEqualTo(List.of("*"));
  }

  @Test
  void delegatesHaveNoHostsNorGatewaysAndDiscoveredPorts() {
    Map<String, Object> spec =
        IstioVirtualServiceBuilder.spec(canary("delegation: true\nportDiscovery: true", ""));
    assertThat(spec.get("hosts")).isEqualTo(List.of());
    assertThat(spec.get("gateways")).isEqualTo(List.of());
    assertThat(spec.get("http").toString())
        .contains("{destination={host=podinfo-primary, port={number=9898}}, weight=100}");
  }

  @Test
  void gatewayRoutesCarryThePortWithPortDiscoveryOnly() {
    var withDiscovery = canary("gateways: [public]\nportDiscovery: true", "");
    var without = canary("gateways: [public]", "");
    assertThat(
            IstioVirtualServiceBuilder.httpRoutes(
                    withDiscovery, new Routes(90, 10, false), new SessionCookies.None())
                .toString())
        .contains("port={number=9898}");
    assertThat(
            IstioVirtualServiceBuilder.httpRoutes(
                    without, new Routes(90, 10, false), new SessionCookies.None())
                .toString())
        .doesNotContain("port=");
  }

  @Test
  void destinationRuleWithoutTrafficPolicyHasOnlyTheHost() {
    assertThat(IstioDestinationRuleBuilder.spec(canary("", ""), "podinfo-canary"))
        .isEqualTo(Map.of("host", "podinfo-canary"));
  }

  @Test
  void aCanaryWithoutServiceIsARouterError() {
    var canary = canary("", "");
    canary.setSpec(
        new app.flagger.model.canary.CanarySpec(
            null,
            null,
            canary.getSpec().targetRef(),
            null,
            null,
            null,
            null,
            null,
            canary.getSpec().analysis(),
            null,
            null,
            null,
            null,
            null));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> IstioVirtualServiceBuilder.spec(canary))
        .isInstanceOf(app.flagger.controller.router.RouterException.class)
        .hasMessageContaining("podinfo.test has no spec.service");
  }

  @Test
  void delegatesCannotHaveHostsOrGateways() {
    var canary = canary("delegation: true\nhosts: [a.example.com]", "");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> IstioVirtualServiceBuilder.spec(canary))
        .hasMessage(
            "VirtualService podinfo.test cannot have hosts and gateways when delegation enabled");
  }

  @Test
  void abConditionsKeepTheServiceUriAndAddTheirHeaders() {
    var merged =
        IstioVirtualServiceBuilder.mergeUri(
            List.of(
                Map.of("headers", Map.of("x", Map.of("exact", "1"))),
                Map.of("sourceLabels", Map.of("app", "a"))),
            List.of(
                Map.of("uri", Map.of("prefix", "/api")), Map.of("uri", Map.of("prefix", "/v2"))));
    assertThat(merged).hasSize(4);
    assertThat(merged.get(0).toString()).isEqualTo("{uri={prefix=/api}, headers={x={exact=1}}}");
    assertThat(merged.get(3).toString()).isEqualTo("{uri={prefix=/v2}, sourceLabels={app=a}}");
  }
}
