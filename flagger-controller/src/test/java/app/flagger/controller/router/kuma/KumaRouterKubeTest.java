package app.flagger.controller.router.kuma;

import static app.flagger.controller.router.kuma.KumaFixtures.canary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KumaRouterKubeTest {
  KubernetesClient client;

  @BeforeEach
  void registerCrd() {
    KumaFixtures.registerCrd(client);
  }

  private KumaRouter router() {
    return new KumaRouter(client);
  }

  private GenericKubernetesResource route() {
    return client.genericKubernetesResources(KumaRouter.TRAFFIC_ROUTES).withName("podinfo").get();
  }

  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return KumaRouter.spec(r);
  }

  @Test
  void reconcileCreatesTheClusterScopedTrafficRouteInTheDefaultMesh() {
    Canary c = canary();

    router().reconcile(c);

    GenericKubernetesResource r = route();
    assertThat(r.getApiVersion()).isEqualTo("kuma.io/v1alpha1");
    assertThat(r.getMetadata().getNamespace()).isNull();
    assertThat(r.getAdditionalProperties()).containsEntry("mesh", "default");
    assertThat(r.getMetadata().getAnnotations())
        .containsEntry("kustomize.toolkit.fluxcd.io/reconcile", "disabled");
    assertThat(spec(r)).isEqualTo(TrafficRouteBuilder.spec(c));
    assertThat(router().getRoutes(c)).isEqualTo(Routes.allPrimary());
  }

  @Test
  void reconcileUsesTheMeshOfTheCanaryAnnotation() {
    router().reconcile(canary("kuma.io/mesh: payments", ""));

    assertThat(route().getAdditionalProperties()).containsEntry("mesh", "payments");
  }

  @Test
  void reconcileUpdatesTheRouteWhenTheSpecChanges() {
    router().reconcile(canary());
    Canary changed = canary("", "port: 8080");

    router().reconcile(changed);

    assertThat(spec(route())).isEqualTo(TrafficRouteBuilder.spec(changed));
  }

  @Test
  void reconcileLeavesTheRouteAloneWhenOnlyWeightsDiffer() {
    Canary c = canary();
    router().reconcile(c);
    router().setRoutes(c, new Routes(60, 40, false));
    String version = route().getMetadata().getResourceVersion();

    router().reconcile(c);

    assertThat(route().getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(router().getRoutes(c)).isEqualTo(new Routes(60, 40, false));
  }

  @Test
  void reconcileKeepsWhatOthersAddedAndAddsNewApexMetadata() {
    router().reconcile(canary());
    GenericKubernetesResource r = route();
    r.getMetadata().getAnnotations().put("foo", "bar");
    Map<String, Object> spec = new LinkedHashMap<>(spec(r));
    spec.put("extra", "kept");
    r.setAdditionalProperty("spec", spec);
    client.genericKubernetesResources(KumaRouter.TRAFFIC_ROUTES).resource(r).update();

    router().reconcile(canary("", "port: 9898\napex:\n  labels:\n    team: web"));

    GenericKubernetesResource after = route();
    assertThat(after.getMetadata().getAnnotations()).containsEntry("foo", "bar");
    assertThat(after.getMetadata().getLabels()).containsEntry("team", "web");
    assertThat(spec(after)).containsEntry("extra", "kept");
  }

  /** Flagger's TestKumaRouter_Routes. */
  @Test
  @SuppressWarnings("unchecked")
  void setRoutesWritesTheSplitWeights() {
    Canary c = canary();
    router().reconcile(c);

    router().setRoutes(c, new Routes(50, 50, false));

    List<Map<String, Object>> split =
        (List<Map<String, Object>>) ((Map<String, Object>) spec(route()).get("conf")).get("split");
    assertThat(split.get(0).get("weight")).isEqualTo(50);
    assertThat(router().getRoutes(c)).isEqualTo(new Routes(50, 50, false));
    router().setRoutes(c, new Routes(0, 100, false));
    assertThat(router().getRoutes(c)).isEqualTo(new Routes(0, 100, false));
  }

  @Test
  void getRoutesWithoutARouteFailsNamingIt() {
    assertThatThrownBy(() -> router().getRoutes(canary()))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "TrafficRoute podinfo get query error trafficroutes.kuma.io \"podinfo\" not found");
  }

  @Test
  void finalizeLeavesTheRoute() {
    Canary c = canary();
    router().reconcile(c);

    router().finalize(c);

    assertThat(route()).isNotNull();
  }
}
