package app.flagger.controller.router.kuma;

import static app.flagger.controller.router.kuma.KumaFixtures.canary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Field-by-field cases from Flagger's kuma.go and kuma_test.go. */
class TrafficRouteBuilderTest {
  private static Map<String, Object> split(int weight, String service) {
    return Map.of("weight", weight, "destination", Map.of("kuma.io/service", service));
  }

  private static Map<String, Object> match(String service) {
    return Map.of("match", Map.of("kuma.io/service", service));
  }

  @Test
  void reconcileSpecRoutesAnySourceForTheApexToThePrimary() {
    Map<String, Object> spec = TrafficRouteBuilder.spec(canary());

    assertThat(spec)
        .isEqualTo(
            Map.of(
                "sources",
                List.of(match("*")),
                "destinations",
                List.of(match("podinfo_default_svc_9898")),
                "conf",
                Map.of(
                    "split",
                    List.of(
                        split(100, "podinfo-primary_default_svc_9898"),
                        split(0, "podinfo-canary_default_svc_9898")))));
  }

  @Test
  void serviceTagsUseTheServiceNameWhenSet() {
    Canary c = canary("", "name: frontend\nport: 80");

    assertThat(TrafficRouteBuilder.spec(c).get("destinations"))
        .isEqualTo(List.of(match("frontend_default_svc_80")));
    assertThat(TrafficRouteBuilder.conf(c, new Routes(60, 40, false)))
        .isEqualTo(
            Map.of(
                "split",
                List.of(
                    split(60, "frontend-primary_default_svc_80"),
                    split(40, "frontend-canary_default_svc_80"))));
  }

  @Test
  void builtRouteIsClusterScopedWithoutOwnerAndInTheDefaultMesh() {
    GenericKubernetesResource r = TrafficRouteBuilder.build(canary());

    assertThat(r.getApiVersion()).isEqualTo("kuma.io/v1alpha1");
    assertThat(r.getKind()).isEqualTo("TrafficRoute");
    assertThat(r.getMetadata().getName()).isEqualTo("podinfo");
    assertThat(r.getMetadata().getNamespace()).isNull();
    assertThat(r.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(r.getAdditionalProperties()).containsEntry("mesh", "default");
    assertThat(r.getAdditionalProperties().get("spec"))
        .isEqualTo(TrafficRouteBuilder.spec(canary()));
  }

  @Test
  void meshComesFromTheCanaryAnnotation() {
    GenericKubernetesResource r = TrafficRouteBuilder.build(canary("kuma.io/mesh: payments", ""));

    assertThat(r.getAdditionalProperties()).containsEntry("mesh", "payments");
  }

  @Test
  void metadataIsTheApexMetadataPlusFluxOptOut() {
    Canary c =
        canary(
            "",
            """
            port: 9898
            apex:
              labels:
                team: web
              annotations:
                9898.service.kuma.io/protocol: http
            """);

    GenericKubernetesResource r = TrafficRouteBuilder.build(c);

    assertThat(r.getMetadata().getLabels()).isEqualTo(Map.of("team", "web"));
    assertThat(r.getMetadata().getAnnotations())
        .isEqualTo(
            Map.of(
                "9898.service.kuma.io/protocol", "http",
                "kustomize.toolkit.fluxcd.io/reconcile", "disabled",
                "helm.toolkit.fluxcd.io/driftDetection", "disabled"));
  }

  @Test
  void weightsAreIgnoredWhenComparingSpecs() {
    Map<String, Object> current = new LinkedHashMap<>(TrafficRouteBuilder.spec(canary()));
    current.put("conf", TrafficRouteBuilder.conf(canary(), new Routes(50, 50, false)));

    assertThat(TrafficRouteBuilder.differs(current, TrafficRouteBuilder.spec(canary()))).isFalse();
    assertThat(
            TrafficRouteBuilder.differs(
                current, TrafficRouteBuilder.spec(canary("", "port: 8080"))))
        .isTrue();
  }

  @Test
  void routesReadThePrimaryWeightAndGiveTheCanaryTheRest() {
    Map<String, Object> spec =
        Map.of(
            "conf",
            Map.of(
                "split",
                List.of(
                    split(70, "podinfo-primary_default_svc_9898"),
                    split(30, "podinfo-canary_default_svc_9898"))));

    assertThat(TrafficRouteBuilder.routes(spec, canary())).isEqualTo(new Routes(70, 30, false));
  }

  @Test
  void mirroringIsIgnoredAsKumaCannotMirror() {
    Map<String, Object> spec =
        Map.of("conf", TrafficRouteBuilder.conf(canary(), new Routes(100, 0, true)));

    assertThat(TrafficRouteBuilder.routes(spec, canary())).isEqualTo(new Routes(100, 0, false));
  }

  @Test
  void routesWithoutAPrimaryEntryFailWithFlaggersMessage() {
    Map<String, Object> spec =
        Map.of("conf", Map.of("split", List.of(split(100, "other_default_svc_9898"))));

    assertThatThrownBy(() -> TrafficRouteBuilder.routes(spec, canary()))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "TrafficRoute podinfo does not contain routes for podinfo-primary and podinfo-canary");
    assertThatThrownBy(() -> TrafficRouteBuilder.routes(Map.of(), canary()))
        .isInstanceOf(RouterException.class)
        .hasMessageContaining("does not contain routes");
  }
}
