package app.flagger.controller.router.apisix;

import static app.flagger.controller.router.apisix.ApisixFixtures.canary;
import static app.flagger.controller.router.apisix.ApisixFixtures.flaggerRoute;
import static app.flagger.controller.router.apisix.ApisixFixtures.weights;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Flagger's TestApisixRouter_Reconcile and _GetSetRoutes, and what others change on the routes. */
@EnableKubernetesMockClient(crud = true)
class ApisixRouterKubeTest {
  KubernetesClient client;
  ApisixRouter router;

  @BeforeEach
  void setUp() {
    ApisixFixtures.registerCrd(client);
    client.genericKubernetesResources(ApisixRouter.APISIX_ROUTES).resource(flaggerRoute()).create();
    router = new ApisixRouter(client);
  }

  private GenericKubernetesResource route(String name) {
    return client
        .genericKubernetesResources(ApisixRouter.APISIX_ROUTES)
        .inNamespace("default")
        .withName(name)
        .get();
  }

  private GenericKubernetesResource canaryRoute() {
    return route("podinfo-podinfo-canary");
  }

  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return ApisixRouteBuilder.spec(r);
  }

  private void update(GenericKubernetesResource r) {
    client.genericKubernetesResources(ApisixRouter.APISIX_ROUTES).resource(r).update();
  }

  @Test
  void reconcileCreatesTheCanaryRouteWithPrimaryAndCanaryBackends() {
    Canary c = canary();

    router.reconcile(c);

    GenericKubernetesResource r = canaryRoute();
    assertThat(r.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("podinfo"));
    assertThat(spec(r)).isEqualTo(ApisixRouteBuilder.spec(c, spec(flaggerRoute())));
    assertThat(weights(spec(r))).containsExactly(100, 0);
    assertThat(router.getRoutes(c)).isEqualTo(Routes.allPrimary());
    assertThat(spec(route("podinfo")))
        .as("the routeRef ApisixRoute is left as it is")
        .isEqualTo(spec(flaggerRoute()));
  }

  /** Flagger: a change of the source route is copied, the weights start again at 100/0. */
  @Test
  void reconcileCopiesAChangeOfTheSourceRoute() {
    Canary c = canary();
    router.reconcile(c);
    router.setRoutes(c, new Routes(70, 30, false));
    GenericKubernetesResource source = route("podinfo");
    source.setAdditionalProperty(
        "spec",
        ApisixFixtures.yaml(ApisixFixtures.FLAGGER_ROUTE.replace("foobar.com", "app.example.com")));
    update(source);

    router.reconcile(c);

    assertThat(ApisixFixtures.<Object>at(spec(canaryRoute()), "http", 0, "match", "hosts"))
        .isEqualTo(java.util.List.of("app.example.com"));
    assertThat(weights(spec(canaryRoute()))).containsExactly(100, 0);
  }

  @Test
  void reconcileLeavesTheCanaryRouteAloneWhenOnlyWeightsDiffer() {
    Canary c = canary();
    router.reconcile(c);
    router.setRoutes(c, new Routes(60, 40, false));
    String version = canaryRoute().getMetadata().getResourceVersion();

    router.reconcile(c);

    assertThat(canaryRoute().getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(router.getRoutes(c)).isEqualTo(new Routes(60, 40, false));
  }

  @Test
  void reconcileKeepsTheLabelsAndAnnotationsOthersAddToTheCanaryRoute() {
    Canary c = canary();
    router.reconcile(c);
    GenericKubernetesResource r = canaryRoute();
    r.getMetadata().setAnnotations(Map.of("foo", "bar"));
    r.getMetadata().setLabels(Map.of("team", "web"));
    update(r);
    GenericKubernetesResource source = route("podinfo");
    source.setAdditionalProperty(
        "spec", ApisixFixtures.yaml(ApisixFixtures.FLAGGER_ROUTE.replace("GET", "POST")));
    update(source);

    router.reconcile(c);

    GenericKubernetesResource after = canaryRoute();
    assertThat(after.getMetadata().getAnnotations()).containsEntry("foo", "bar");
    assertThat(after.getMetadata().getLabels()).containsEntry("team", "web");
    assertThat(ApisixFixtures.<Object>at(spec(after), "http", 0, "match", "methods"))
        .isEqualTo(java.util.List.of("POST"));
  }

  /** Flagger's TestApisixRouter_GetSetRoutes: 100/0, then 50/50 on both backends. */
  @Test
  void setRoutesWritesTheWeightsOfBothBackends() {
    Canary c = canary();
    router.reconcile(c);
    assertThat(router.getRoutes(c)).isEqualTo(Routes.allPrimary());

    router.setRoutes(c, new Routes(50, 50, false));

    assertThat(router.getRoutes(c)).isEqualTo(new Routes(50, 50, false));
    assertThat(weights(spec(canaryRoute()))).containsExactly(50, 50);
    assertThat(
            ApisixFixtures.<String>at(spec(canaryRoute()), "http", 0, "backends", 1, "serviceName"))
        .isEqualTo("podinfo-canary");
  }

  @Test
  void setRoutesKeepsWhatOthersChangedOnTheCanaryRoute() {
    Canary c = canary();
    router.reconcile(c);
    GenericKubernetesResource r = canaryRoute();
    r.getMetadata().setAnnotations(Map.of("foo", "bar"));
    update(r);

    router.setRoutes(c, new Routes(90, 10, false));

    assertThat(canaryRoute().getMetadata().getAnnotations()).containsEntry("foo", "bar");
    assertThat(router.getRoutes(c)).isEqualTo(new Routes(90, 10, false));
  }

  @Test
  void reconcileWithoutTheSourceRouteFailsNamingIt() {
    client
        .genericKubernetesResources(ApisixRouter.APISIX_ROUTES)
        .inNamespace("default")
        .withName("podinfo")
        .delete();

    assertThatThrownBy(() -> router.reconcile(canary()))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "ApisixRoute podinfo.default get query error: apisixroutes.apisix.apache.org"
                + " \"podinfo\" not found");
  }

  @Test
  void getRoutesWithoutTheCanaryRouteFailsNamingIt() {
    assertThatThrownBy(() -> router.getRoutes(canary()))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "ApisixRoute podinfo-podinfo-canary.default get query error:"
                + " apisixroutes.apisix.apache.org \"podinfo-podinfo-canary\" not found");
  }

  @Test
  void anAbTestIsRefusedBeforeAnythingIsWritten() {
    Canary ab =
        canary("", "iterations: 5\nmatch:\n  - headers:\n      x-user-type:\n        exact: test");

    assertThatThrownBy(() -> router.reconcile(ab))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith("analysis.match: ");
    assertThat(canaryRoute()).isNull();
  }

  @Test
  void finalizeLeavesBothRoutesToTheirOwners() {
    Canary c = canary();
    router.reconcile(c);

    router.finalize(c);

    assertThat(canaryRoute()).isNotNull();
    assertThat(spec(route("podinfo"))).isEqualTo(spec(flaggerRoute()));
  }
}
