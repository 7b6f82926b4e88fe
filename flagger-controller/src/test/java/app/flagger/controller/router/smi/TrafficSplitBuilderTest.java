package app.flagger.controller.router.smi;

import static app.flagger.controller.router.smi.SmiFixtures.backend;
import static app.flagger.controller.router.smi.SmiFixtures.canary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.controller.router.smi.TrafficSplitBuilder.Version;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TrafficSplitBuilderTest {
  /** Flagger's Sync tests: the apex as service, canary 0 then primary 100. */
  @Test
  void v1alpha1WritesQuantityWeightsCanaryFirst() {
    GenericKubernetesResource ts = TrafficSplitBuilder.build(canary(), Version.V1ALPHA1, "linkerd");

    assertThat(ts.getApiVersion()).isEqualTo("split.smi-spec.io/v1alpha1");
    assertThat(ts.getKind()).isEqualTo("TrafficSplit");
    assertThat(ts.getMetadata().getName()).isEqualTo("podinfo");
    assertThat(ts.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(ts.getAdditionalProperties().get("spec"))
        .isEqualTo(
            Map.of(
                "service",
                "podinfo",
                "backends",
                List.of(backend("podinfo-canary", "0"), backend("podinfo-primary", "100"))));
  }

  @ParameterizedTest
  @EnumSource(
      value = Version.class,
      names = {"V1ALPHA2", "V1ALPHA3"})
  void laterVersionsWriteIntegerWeights(Version version) {
    GenericKubernetesResource ts = TrafficSplitBuilder.build(canary(), version, "osm");

    assertThat(ts.getApiVersion()).isEqualTo("split.smi-spec.io/" + version.value());
    assertThat(ts.getAdditionalProperties().get("spec"))
        .isEqualTo(
            Map.of(
                "service",
                "podinfo",
                "backends",
                List.of(backend("podinfo-canary", 0), backend("podinfo-primary", 100))));
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void theSplitIsOwnedByTheCanaryAsAController(Version version) {
    OwnerReference owner =
        TrafficSplitBuilder.build(canary(), version, "linkerd")
            .getMetadata()
            .getOwnerReferences()
            .get(0);

    assertThat(owner.getApiVersion()).isEqualTo("flagger.app/v1beta1");
    assertThat(owner.getKind()).isEqualTo("Canary");
    assertThat(owner.getName()).isEqualTo("podinfo");
    assertThat(owner.getUid()).isEqualTo("6f1c1d2e-0000-4000-8000-000000000003");
    assertThat(owner.getController()).isTrue();
    assertThat(owner.getBlockOwnerDeletion()).isTrue();
  }

  /** Flagger's update case: the service name changes the apex, the first host wins over it. */
  @Test
  void theServiceIsTheFirstHostElseTheApex() {
    assertThat(TrafficSplitBuilder.spec(canary("name: test"), Version.V1ALPHA2))
        .containsEntry("service", "test")
        .containsEntry(
            "backends", List.of(backend("test-canary", 0), backend("test-primary", 100)));
    assertThat(
            TrafficSplitBuilder.spec(
                canary("hosts: [podinfo.example.com, other.example.com]"), Version.V1ALPHA3))
        .containsEntry("service", "podinfo.example.com");
  }

  /** Flagger's SetRoutes test: 50/50 in each version's weight type. */
  @Test
  void setRoutesWeightsInEachVersionsType() {
    Routes half = new Routes(50, 50, false);
    assertThat(TrafficSplitBuilder.backends(canary(), Version.V1ALPHA1, new Routes(70, 30, false)))
        .containsExactly(backend("podinfo-canary", "30"), backend("podinfo-primary", "70"));
    assertThat(TrafficSplitBuilder.backends(canary(), Version.V1ALPHA2, half))
        .containsExactly(backend("podinfo-canary", 50), backend("podinfo-primary", 50));
    assertThat(TrafficSplitBuilder.backends(canary(), Version.V1ALPHA3, new Routes(0, 100, true)))
        .as("mirroring is ignored, as in Flagger")
        .containsExactly(backend("podinfo-canary", 100), backend("podinfo-primary", 0));
  }

  @Test
  void onlyAnIstioTargetMeshGetsTheGatewaysAnnotation() {
    Canary withGateways = canary("gateways: [public-gateway.istio-system, mesh]");

    assertThat(
            TrafficSplitBuilder.build(withGateways, Version.V1ALPHA2, "istio")
                .getMetadata()
                .getAnnotations())
        .containsExactly(
            Map.entry(
                "VirtualService.v1alpha3.networking.istio.io/spec.gateways",
                "[\"public-gateway.istio-system\",\"mesh\"]"));
    assertThat(
            TrafficSplitBuilder.build(withGateways, Version.V1ALPHA1, "linkerd")
                .getMetadata()
                .getAnnotations())
        .isEmpty();
    assertThat(
            TrafficSplitBuilder.build(canary(), Version.V1ALPHA2, "istio")
                .getMetadata()
                .getAnnotations())
        .isEmpty();
  }

  @Test
  void weightsAreIgnoredWhenComparing() {
    Canary c = canary();
    Map<String, Object> desired = TrafficSplitBuilder.spec(c, Version.V1ALPHA2);
    Map<String, Object> shifted =
        TrafficSplitBuilder.spec(c, Version.V1ALPHA2, new Routes(60, 40, false));

    assertThat(TrafficSplitBuilder.differsIgnoringWeights(shifted, desired, Version.V1ALPHA2))
        .isFalse();
  }

  @Test
  void serviceBackendsOrderAndV1alpha3MatchesAreCompared() {
    Canary c = canary();
    Map<String, Object> desired = TrafficSplitBuilder.spec(c, Version.V1ALPHA3);

    Map<String, Object> otherHost = new LinkedHashMap<>(desired);
    otherHost.put("service", "podinfo.example.com");
    Map<String, Object> swapped = new LinkedHashMap<>(desired);
    swapped.put("backends", List.of(backend("podinfo-primary", 100), backend("podinfo-canary", 0)));
    Map<String, Object> withMatches = new LinkedHashMap<>(desired);
    withMatches.put("matches", List.of(Map.of("kind", "HTTPRouteGroup", "name", "ab")));
    Map<String, Object> withUnknown = new LinkedHashMap<>(desired);
    withUnknown.put("somethingElse", true);

    assertThat(TrafficSplitBuilder.differsIgnoringWeights(otherHost, desired, Version.V1ALPHA3))
        .isTrue();
    assertThat(TrafficSplitBuilder.differsIgnoringWeights(swapped, desired, Version.V1ALPHA3))
        .isTrue();
    assertThat(TrafficSplitBuilder.differsIgnoringWeights(withMatches, desired, Version.V1ALPHA3))
        .isTrue();
    assertThat(TrafficSplitBuilder.differsIgnoringWeights(withMatches, desired, Version.V1ALPHA2))
        .as("v1alpha2 has no matches field")
        .isFalse();
    assertThat(TrafficSplitBuilder.differsIgnoringWeights(withUnknown, desired, Version.V1ALPHA3))
        .isFalse();
  }

  /** Flagger's GetRoutes test: 100/0 after reconcile, never mirrored. */
  @ParameterizedTest
  @EnumSource(Version.class)
  void routesReadTheWeightsBack(Version version) {
    Canary c = canary();

    assertThat(
            TrafficSplitBuilder.routes(TrafficSplitBuilder.spec(c, version), c, "podinfo.default"))
        .isEqualTo(new Routes(100, 0, false));
    assertThat(
            TrafficSplitBuilder.routes(
                TrafficSplitBuilder.spec(c, version, new Routes(70, 30, true)),
                c,
                "podinfo.default"))
        .isEqualTo(new Routes(70, 30, false));
  }

  @Test
  void quantityWeightsReadAsWholeNumbersOnly() {
    assertThat(TrafficSplitBuilder.weightValue("40")).isEqualTo(40);
    assertThat(TrafficSplitBuilder.weightValue(40)).isEqualTo(40);
    assertThat(TrafficSplitBuilder.weightValue("1k")).isEqualTo(1000);
    assertThat(TrafficSplitBuilder.weightValue("500m")).isZero();
    assertThat(TrafficSplitBuilder.weightValue(null)).isZero();
  }

  @Test
  void routesWithoutThePrimaryAndCanaryBackendsFailWithFlaggersMessage() {
    Map<String, Object> spec =
        Map.of("service", "podinfo", "backends", List.of(backend("other", 100)));

    assertThatThrownBy(() -> TrafficSplitBuilder.routes(spec, canary(), "podinfo.default"))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "TrafficSplit podinfo.default does not contain routes for podinfo-primary and"
                + " podinfo-canary");
  }

  @Test
  void routesNotAddingUpTo100AreAClearError() {
    Map<String, Object> spec =
        Map.of(
            "service",
            "podinfo",
            "backends",
            List.of(backend("podinfo-canary", 30), backend("podinfo-primary", 30)));

    assertThatThrownBy(() -> TrafficSplitBuilder.routes(spec, canary(), "podinfo.default"))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "TrafficSplit podinfo.default weights of podinfo-primary (30) and podinfo-canary (30)"
                + " do not add up to 100");
  }
}
