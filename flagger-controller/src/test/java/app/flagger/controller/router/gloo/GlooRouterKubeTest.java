package app.flagger.controller.router.gloo;

import static app.flagger.controller.router.gloo.GlooFixtures.abTest;
import static app.flagger.controller.router.gloo.GlooFixtures.canary;
import static app.flagger.controller.router.gloo.GlooFixtures.weights;
import static app.flagger.controller.support.Trees.at;
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

/**
 * Flagger's TestGlooRouter_Sync, _SetRoutes and _GetRoutes, its e2e upstreamRef checks, and what
 * others add to the generated objects.
 */
@EnableKubernetesMockClient(crud = true)
class GlooRouterKubeTest {
  private static final String PRIMARY = "default-podinfo-primaryupstream-9898";
  private static final String CANARY = "default-podinfo-canaryupstream-9898";

  KubernetesClient client;
  GlooRouter router;

  @BeforeEach
  void setUp() {
    GlooFixtures.registerCrds(client);
    GlooFixtures.createServices(client);
    router = new GlooRouter(client);
  }

  private GenericKubernetesResource routeTable() {
    return client
        .genericKubernetesResources(GlooRouter.ROUTE_TABLES)
        .inNamespace("default")
        .withName("podinfo")
        .get();
  }

  private GenericKubernetesResource upstream(String name) {
    return client
        .genericKubernetesResources(GlooRouter.UPSTREAMS)
        .inNamespace("default")
        .withName(name)
        .get();
  }

  private void update(GenericKubernetesResource r) {
    client.resource(r).update();
  }

  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return GlooRouter.spec(r);
  }

  private static Canary withUpstreamRef() {
    return canary(
        GlooFixtures.UPSTREAM_REF, GlooFixtures.FLAGGER_SERVICE, GlooFixtures.PROGRESSIVE);
  }

  private void createConfigUpstream() {
    client.resource(GlooFixtures.configUpstream()).create();
  }

  /** Flagger's TestGlooRouter_Sync, first half: upstreams and route table 100/0. */
  @Test
  void reconcileCreatesTheUpstreamsAndTheRouteTable() {
    Canary c = canary();

    router.reconcile(c);

    assertThat(weights(spec(routeTable()), 0)).containsExactly(100, 0);
    assertThat(spec(routeTable()).get("routes"))
        .isEqualTo(RouteTableBuilder.routes(c, Routes.allPrimary()));
    assertThat(routeTable().getMetadata().getOwnerReferences()).hasSize(1);
    assertThat((Object) at(spec(upstream(PRIMARY)), "kube"))
        .isEqualTo(
            Map.of(
                "serviceName",
                "podinfo-primary",
                "serviceNamespace",
                "default",
                "servicePort",
                9898,
                "selector",
                Map.of("app", "podinfo-primary")));
    assertThat((Object) at(spec(upstream(CANARY)), "kube", "serviceName"))
        .isEqualTo("podinfo-canary");
    assertThat(upstream(CANARY).getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("podinfo"));
    assertThat(router.getRoutes(c)).isEqualTo(Routes.allPrimary());
  }

  /** Flagger's TestGlooRouter_Sync, second half: the A/B match reaches the route table. */
  @Test
  void reconcileUpdatesTheRouteTableWhenTheMatchChanges() {
    router.reconcile(canary());

    router.reconcile(abTest());

    Map<String, Object> spec = spec(routeTable());
    assertThat((Object) at(spec, "routes", 0, "matchers", 0, "headers", 0, "name"))
        .isEqualTo("x-user-type");
    assertThat((Object) at(spec, "routes", 0, "matchers", 0, "headers", 0, "value"))
        .isEqualTo("test");
    assertThat(weights(spec, 1)).containsExactly(100, 0);
  }

  @Test
  void reconcileUpdatesTheRouteTableWhenThePortChangesKeepingTheWeights() {
    router.reconcile(canary());
    router.setRoutes(canary(), new Routes(80, 20, false));
    Canary moved = canary("port: 80", GlooFixtures.PROGRESSIVE);

    router.reconcile(moved);

    assertThat(
            (Object)
                at(
                    spec(routeTable()),
                    "routes",
                    0,
                    "routeAction",
                    "multi",
                    "destinations",
                    0,
                    "destination",
                    "upstream",
                    "name"))
        .isEqualTo("default-podinfo-primaryupstream-80");
    assertThat(upstream("default-podinfo-canaryupstream-80")).isNotNull();
    assertThat(router.getRoutes(moved)).isEqualTo(new Routes(80, 20, false));
  }

  @Test
  void reconcileLeavesTheRouteTableAloneWhenOnlyWeightsDiffer() {
    Canary c = canary();
    router.reconcile(c);
    router.setRoutes(c, new Routes(60, 40, false));
    String version = routeTable().getMetadata().getResourceVersion();

    router.reconcile(c);

    assertThat(routeTable().getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(router.getRoutes(c)).isEqualTo(new Routes(60, 40, false));
  }

  @Test
  void reconcileKeepsWhatOthersAddedAndAddsNewApexMetadata() {
    router.reconcile(canary());
    GenericKubernetesResource rt = routeTable();
    rt.getMetadata().getAnnotations().put("foo", "bar");
    Map<String, Object> spec = new LinkedHashMap<>(spec(rt));
    spec.put("weight", 10);
    rt.setAdditionalProperty("spec", spec);
    update(rt);
    GenericKubernetesResource up = upstream(PRIMARY);
    Map<String, Object> upSpec = new LinkedHashMap<>(spec(up));
    upSpec.put("healthChecks", List.of(Map.of("timeout", "1s")));
    up.setAdditionalProperty("spec", upSpec);
    update(up);

    router.reconcile(
        canary(
            GlooFixtures.FLAGGER_SERVICE + "apex:\n  labels:\n    team: web",
            GlooFixtures.AB_TEST));

    GenericKubernetesResource after = routeTable();
    assertThat(after.getMetadata().getAnnotations())
        .containsEntry("foo", "bar")
        .containsEntry("kustomize.toolkit.fluxcd.io/reconcile", "disabled");
    assertThat(after.getMetadata().getLabels()).containsEntry("team", "web");
    assertThat(spec(after)).containsEntry("weight", 10);
    assertThat((List<?>) at(spec(after), "routes")).hasSize(2);
    assertThat(spec(upstream(PRIMARY))).containsKey("healthChecks");
  }

  /** Flagger's e2e: the generated upstreams carry the referenced upstream's connection settings. */
  @Test
  void upstreamRefSettingsAreCopiedOnCreate() {
    createConfigUpstream();

    router.reconcile(withUpstreamRef());

    assertThat((Object) at(spec(upstream(CANARY)), "connectionConfig", "maxRequestsPerConnection"))
        .isEqualTo(51);
    assertThat(
            (Object)
                at(
                    spec(upstream(PRIMARY)),
                    "loadBalancerConfig",
                    "roundRobin",
                    "slowStartConfig",
                    "minWeightPercent"))
        .isEqualTo(5);
    assertThat(spec(upstream(CANARY))).doesNotContainKey("static");
  }

  /** Flagger's e2e: a change of the referenced upstream reaches the generated ones. */
  @Test
  void reconcileSyncsTheUpstreamsWithTheReferencedUpstream() {
    createConfigUpstream();
    Canary c = withUpstreamRef();
    router.reconcile(c);
    GenericKubernetesResource config =
        client
            .genericKubernetesResources(GlooRouter.UPSTREAMS)
            .inNamespace("gloo-system")
            .withName("config-upstream")
            .get();
    Map<String, Object> changed = new LinkedHashMap<>(spec(config));
    changed.put(
        "loadBalancerConfig",
        Map.of("roundRobin", Map.of("slowStartConfig", Map.of("minWeightPercent", 20))));
    config.setAdditionalProperty("spec", changed);
    update(config);

    router.reconcile(c);

    for (String name : List.of(PRIMARY, CANARY)) {
      assertThat(
              (Object)
                  at(
                      spec(upstream(name)),
                      "loadBalancerConfig",
                      "roundRobin",
                      "slowStartConfig",
                      "minWeightPercent"))
          .isEqualTo(20);
      assertThat((Object) at(spec(upstream(name)), "kube", "serviceNamespace"))
          .isEqualTo("default");
    }
  }

  @Test
  void aMissingReferencedUpstreamFailsNamingIt() {
    assertThatThrownBy(() -> router.reconcile(withUpstreamRef()))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "config upstream config-upstream.gloo-system get query error:"
                + " upstreams.gloo.solo.io \"config-upstream\" not found");
  }

  @Test
  void aMissingServiceFailsNamingIt() {
    client.services().inNamespace("default").withName("podinfo-canary").delete();

    assertThatThrownBy(() -> router.reconcile(canary()))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "error creating flagger canary upstream: service podinfo-canary.default get query"
                + " error: services \"podinfo-canary\" not found");
  }

  /** Flagger's TestGlooRouter_SetRoutes: 50/50, then A/B with the header matcher. */
  @Test
  void setRoutesWritesTheWeights() {
    Canary c = canary();
    router.reconcile(c);

    router.setRoutes(c, new Routes(50, 50, false));

    assertThat(weights(spec(routeTable()), 0)).containsExactly(50, 50);
    assertThat(router.getRoutes(c)).isEqualTo(new Routes(50, 50, false));

    router.setRoutes(abTest(), new Routes(0, 100, false));

    Map<String, Object> spec = spec(routeTable());
    assertThat((Object) at(spec, "routes", 0, "matchers", 0, "headers", 0, "name"))
        .isEqualTo("x-user-type");
    assertThat(weights(spec, 0)).containsExactly(0, 100);
    assertThat(weights(spec, 1)).containsExactly(100, 0);
    assertThat(router.getRoutes(abTest())).isEqualTo(new Routes(0, 100, false));
  }

  @Test
  void getRoutesWithoutARouteTableFailsNamingIt() {
    assertThatThrownBy(() -> router.getRoutes(canary()))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "RouteTable podinfo.default get query error: routetables.gateway.solo.io"
                + " \"podinfo\" not found");
  }

  @Test
  void finalizeLeavesTheObjectsToTheirOwnerReferences() {
    Canary c = canary();
    router.reconcile(c);

    router.finalize(c);

    assertThat(routeTable()).isNotNull();
    assertThat(upstream(PRIMARY)).isNotNull();
    assertThat(upstream(CANARY)).isNotNull();
  }
}
