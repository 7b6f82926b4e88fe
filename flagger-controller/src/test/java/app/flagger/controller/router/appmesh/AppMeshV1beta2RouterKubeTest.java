package app.flagger.controller.router.appmesh;

import static app.flagger.controller.router.appmesh.AppMeshFixtures.abtest;
import static app.flagger.controller.router.appmesh.AppMeshFixtures.appmesh;
import static app.flagger.controller.router.appmesh.AppMeshFixtures.at;
import static app.flagger.controller.router.appmesh.AppMeshFixtures.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.canary.TargetException;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Flagger's {@code AppMeshv1beta2Router} tests and more, on the CRUD mock API server. */
@EnableKubernetesMockClient(crud = true)
class AppMeshV1beta2RouterKubeTest {
  private static final String V2 = "appmesh:v1beta2";
  private static final AppMeshApi API = AppMeshApi.V1BETA2;

  KubernetesClient client;
  AppMeshV1beta2Router router;

  @BeforeEach
  void setUp() {
    AppMeshFixtures.registerCrds(client);
    AppMeshFixtures.deployment(client, "podinfo");
    AppMeshFixtures.deployment(client, "abtest");
    router =
        new AppMeshV1beta2Router(client, new TargetSelectorLabel(client, List.of("app", "name")));
  }

  private GenericKubernetesResource node(String name) {
    return AppMeshFixtures.get(client, API.virtualNodes(), name);
  }

  private GenericKubernetesResource vrouter(String name) {
    return AppMeshFixtures.get(client, API.virtualRouters(), name);
  }

  private GenericKubernetesResource vservice(String name) {
    return AppMeshFixtures.get(client, API.virtualServices(), name);
  }

  private void replace(ResourceDefinitionContext context, GenericKubernetesResource r) {
    client.genericKubernetesResources(context).inNamespace("default").resource(r).update();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  /** Flagger's Reconcile test: services, routers, nodes, FQDN discovery and timeouts. */
  @Test
  void reconcileCreatesNodesRoutersAndServicesOwnedByTheCanary() {
    Canary c = appmesh(V2);

    router.reconcile(c);

    assertThat(vservice("podinfo")).isNotNull();
    assertThat(vservice("podinfo-canary")).isNotNull();
    GenericKubernetesResource apex = vrouter("podinfo");
    assertThat((List<?>) at(apex, "routes", 0, "httpRoute", "action", "weightedTargets"))
        .hasSize(2);
    assertThat(
            at(vrouter("podinfo-canary"), "routes", 0, "httpRoute", "action", "weightedTargets", 0))
        .isEqualTo(ref("podinfo-canary", 100));
    GenericKubernetesResource primary = node("podinfo-primary");
    assertThat(at(primary, "logging")).isNotNull();
    assertThat(at(primary, "serviceDiscovery", "dns", "hostname"))
        .isEqualTo("podinfo-primary.default.svc.cluster.local.");
    assertThat(at(primary, "podSelector", "matchLabels"))
        .isEqualTo(Map.of("app", "podinfo-primary"));
    assertThat(at(node("podinfo-canary"), "podSelector", "matchLabels"))
        .isEqualTo(Map.of("app", "podinfo"));
    assertThat(at(apex, "routes", 0, "httpRoute", "timeout", "perRequest", "value"))
        .isEqualTo(30000);
    assertThat(at(primary, "listeners", 0, "timeout", "http", "perRequest", "value"))
        .isEqualTo(30000);
    assertThat(node("podinfo")).as("no apex virtual node in v1beta2").isNull();
    for (GenericKubernetesResource r :
        List.of(primary, apex, vservice("podinfo"), node("podinfo-canary"))) {
      assertThat(r.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("appmesh");
    }
  }

  /** Flagger's Reconcile test: a new backend reaches the nodes, an edited prefix is undone. */
  @Test
  void reconcileUpdatesBackendsAndUndoesEditsOfTheRoutes() {
    router.reconcile(appmesh(V2));
    String arn = "arn:aws:appmesh:eu-west-1:12345678910:mesh/my-mesh/virtualService/mytestservice";

    router.reconcile(appmesh(V2, "backends: [backend.default, test.example.com, \"" + arn + "\"]"));
    assertThat((List<?>) at(node("podinfo-primary"), "backends")).hasSize(3);

    GenericKubernetesResource edited = vrouter("podinfo");
    Map<String, Object> match = (Map<String, Object>) at(edited, "routes", 0, "httpRoute", "match");
    match.put("prefix", "api");
    replace(API.virtualRouters(), edited);
    router.reconcile(appmesh(V2));

    assertThat(at(vrouter("podinfo"), "routes", 0, "httpRoute", "match", "prefix")).isEqualTo("/");
  }

  @Test
  void reconcileLeavesTheObjectsAloneWhenOnlyWeightsDiffer() {
    Canary c = appmesh(V2);
    router.reconcile(c);
    router.setRoutes(c, new Routes(60, 40, false));
    String routerVersion = vrouter("podinfo").getMetadata().getResourceVersion();
    String nodeVersion = node("podinfo-primary").getMetadata().getResourceVersion();

    router.reconcile(c);

    assertThat(vrouter("podinfo").getMetadata().getResourceVersion()).isEqualTo(routerVersion);
    assertThat(node("podinfo-primary").getMetadata().getResourceVersion()).isEqualTo(nodeVersion);
    assertThat(router.getRoutes(c)).isEqualTo(new Routes(60, 40, false));
  }

  @Test
  void aSpecChangeUpdatesTheRouterButKeepsTheWeights() {
    router.reconcile(appmesh(V2));
    router.setRoutes(appmesh(V2), new Routes(70, 30, false));

    router.reconcile(appmesh(V2, "timeout: 5s"));

    GenericKubernetesResource apex = vrouter("podinfo");
    assertThat(at(apex, "routes", 0, "httpRoute", "timeout", "perRequest", "value"))
        .isEqualTo(5000);
    assertThat(router.getRoutes(appmesh(V2))).isEqualTo(new Routes(70, 30, false));
  }

  @Test
  void aSplitEditedAwayIsResetToThePrimaryByTheNextReconcile() {
    Canary c = appmesh(V2);
    router.reconcile(c);
    router.setRoutes(c, new Routes(70, 30, false));
    GenericKubernetesResource edited = vrouter("podinfo");
    Map<String, Object> action =
        (Map<String, Object>) at(edited, "routes", 0, "httpRoute", "action");
    action.put("weightedTargets", List.of(ref("podinfo-primary", 100)));
    replace(API.virtualRouters(), edited);
    assertThatThrownBy(() -> router.getRoutes(c))
        .hasMessage("VirtualRouter routes podinfo.default not found");

    router.reconcile(c);

    assertThat(router.getRoutes(c)).isEqualTo(Routes.allPrimary());
  }

  @Test
  void fieldsOthersAddAreKept() {
    router.reconcile(appmesh(V2));
    GenericKubernetesResource vn = node("podinfo-primary");
    Map<String, Object> vnSpec = new LinkedHashMap<>(spec(vn));
    vnSpec.put("awsName", "podinfo-primary_default");
    vnSpec.put("meshRef", Map.of("name", "global", "uid", "1"));
    vnSpec.put("backendDefaults", Map.of("clientPolicy", Map.of()));
    vn.setAdditionalProperty("spec", vnSpec);
    vn.getMetadata().getLabels().put("team", "a");
    vn.getMetadata().getAnnotations().put("note", "b");
    replace(API.virtualNodes(), vn);
    GenericKubernetesResource vr = vrouter("podinfo");
    Map<String, Object> vrSpec = new LinkedHashMap<>(spec(vr));
    vrSpec.put("meshRef", Map.of("name", "global", "uid", "1"));
    vr.setAdditionalProperty("spec", vrSpec);
    replace(API.virtualRouters(), vr);

    router.reconcile(appmesh(V2, "backends: [other.default]\nmatch:\n  - uri: {prefix: /api}"));

    GenericKubernetesResource node = node("podinfo-primary");
    assertThat(spec(node))
        .containsEntry("awsName", "podinfo-primary_default")
        .containsKeys("meshRef", "backendDefaults");
    assertThat(at(node, "backends", 0, "virtualService", "virtualServiceRef", "name"))
        .isEqualTo("other.default");
    assertThat(node.getMetadata().getLabels()).containsEntry("team", "a");
    assertThat(node.getMetadata().getAnnotations())
        .containsEntry("note", "b")
        .containsEntry("kustomize.toolkit.fluxcd.io/reconcile", "disabled");
    GenericKubernetesResource apex = vrouter("podinfo");
    assertThat(spec(apex)).containsKey("meshRef");
    assertThat(at(apex, "routes", 0, "httpRoute", "match", "prefix")).isEqualTo("/api");
  }

  /** Flagger's GetSetRoutes test; mirroring is ignored and never reported. */
  @Test
  void setRoutesAndGetRoutesRoundTripTheSplit() {
    Canary c = appmesh(V2);
    router.reconcile(c);
    assertThat(router.getRoutes(c)).isEqualTo(Routes.allPrimary());

    router.setRoutes(c, new Routes(60, 40, true));

    assertThat(router.getRoutes(c)).isEqualTo(new Routes(60, 40, false));
    assertThat(at(vrouter("podinfo"), "routes", 0, "httpRoute", "action", "weightedTargets"))
        .isEqualTo(List.of(ref("podinfo-canary", 40), ref("podinfo-primary", 60)));
  }

  /** Flagger's A/B test: two routes, the first matching the header. */
  @Test
  void abTestingRoutesByHeader() {
    Canary c = abtest(V2);

    router.reconcile(c);
    router.setRoutes(c, new Routes(0, 100, false));

    GenericKubernetesResource apex = vrouter("abtest");
    assertThat((List<?>) at(apex, "routes")).hasSize(2);
    assertThat(at(apex, "routes", 0, "httpRoute", "match", "headers", 0))
        .isEqualTo(Map.of("name", "x-user-type", "match", Map.of("exact", "test")));
    assertThat(at(apex, "routes", 1, "httpRoute", "action", "weightedTargets"))
        .isEqualTo(List.of(ref("abtest-primary", 100)));
    assertThat(router.getRoutes(c)).isEqualTo(new Routes(0, 100, false));
  }

  /** Flagger's Gateway test. */
  @Test
  void theApexServiceCarriesTheGatewayAnnotations() {
    router.reconcile(appmesh(V2));

    assertThat(vservice("podinfo").getMetadata().getAnnotations())
        .containsEntry("gateway.appmesh.k8s.aws/expose", "true")
        .containsEntry("gateway.appmesh.k8s.aws/domain", "*,")
        .containsEntry("gateway.appmesh.k8s.aws/timeout", "30s")
        .containsEntry("gateway.appmesh.k8s.aws/retries", "5");
    assertThat(at(vservice("podinfo-canary"), "provider", "virtualRouter", "virtualRouterRef"))
        .isEqualTo(Map.of("name", "podinfo-canary"));
  }

  @Test
  void aMissingServiceIsCreatedNextToAnExistingRouter() {
    router.reconcile(appmesh(V2));
    client
        .genericKubernetesResources(API.virtualServices())
        .inNamespace("default")
        .withName("podinfo")
        .delete();

    router.reconcile(appmesh(V2));

    assertThat(vservice("podinfo")).isNotNull();
  }

  @Test
  void aTargetWithoutSelectorLabelIsAClearError() {
    client
        .apps()
        .deployments()
        .inNamespace("default")
        .resource(
            new DeploymentBuilder(
                    client.apps().deployments().inNamespace("default").withName("podinfo").get())
                .editSpec()
                .editSelector()
                .withMatchLabels(Map.of("team", "podinfo"))
                .endSelector()
                .endSpec()
                .build())
        .update();

    assertThatThrownBy(() -> router.reconcile(appmesh(V2)))
        .isInstanceOf(TargetException.class)
        .hasMessage(
            "deployment podinfo.default spec.selector.matchLabels must contain one of [app name]");
  }

  @Test
  void getRoutesWithoutTheRouterNamesIt() {
    assertThatThrownBy(() -> router.getRoutes(appmesh(V2)))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "VirtualRouter podinfo.default get query error: virtualrouters.appmesh.k8s.aws"
                + " \"podinfo\" not found");
  }

  @Test
  void finalizeLeavesTheObjectsToGarbageCollectionAsFlagger() {
    router.reconcile(appmesh(V2));

    router.finalize(appmesh(V2));

    assertThat(vrouter("podinfo")).isNotNull();
    assertThat(node("podinfo-primary")).isNotNull();
  }
}
