package app.flagger.controller.router.appmesh;

import static app.flagger.controller.router.appmesh.AppMeshFixtures.abtest;
import static app.flagger.controller.router.appmesh.AppMeshFixtures.appmesh;
import static app.flagger.controller.router.appmesh.AppMeshFixtures.at;
import static app.flagger.controller.router.appmesh.AppMeshFixtures.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Flagger's {@code AppMeshRouter} (v1beta1) tests and more, on the CRUD mock API server. */
@EnableKubernetesMockClient(crud = true)
class AppMeshRouterKubeTest {
  private static final String V1 = "appmesh";
  private static final AppMeshApi API = AppMeshApi.V1BETA1;

  KubernetesClient client;
  AppMeshRouter router;

  @BeforeEach
  void setUp() {
    AppMeshFixtures.registerCrds(client);
    router = new AppMeshRouter(client);
  }

  private GenericKubernetesResource node(String name) {
    return AppMeshFixtures.get(client, API.virtualNodes(), name);
  }

  private GenericKubernetesResource vservice(String name) {
    return AppMeshFixtures.get(client, API.virtualServices(), name);
  }

  private void replace(GenericKubernetesResource r) {
    client
        .genericKubernetesResources(API.virtualServices())
        .inNamespace("default")
        .resource(r)
        .update();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> targets(GenericKubernetesResource vs) {
    return (List<Map<String, Object>>) at(vs, "routes", 0, "http", "action", "weightedTargets");
  }

  /** Flagger's Reconcile test: services named by DNS, three nodes, the canary service's split. */
  @Test
  void reconcileCreatesThreeNodesAndTwoServices() {
    router.reconcile(appmesh(V1));

    GenericKubernetesResource vs = vservice("podinfo.default");
    assertThat(vs.getApiVersion()).isEqualTo("appmesh.k8s.aws/v1beta1");
    assertThat(at(vs, "meshName")).isEqualTo("global");
    assertThat(targets(vs)).hasSize(2);
    assertThat(targets(vservice("podinfo-canary.default")).get(0))
        .isEqualTo(named("podinfo-canary", 100));
    GenericKubernetesResource apexNode = node("podinfo");
    assertThat(at(apexNode, "logging")).isNotNull();
    assertThat(at(apexNode, "serviceDiscovery", "dns", "hostName"))
        .isEqualTo("podinfo-primary.default");
    assertThat(at(node("podinfo-canary"), "serviceDiscovery", "dns", "hostName"))
        .isEqualTo("podinfo-canary.default");
    assertThat(node("podinfo-primary")).isNotNull();
    assertThat(vs.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("appmesh");
  }

  /** Flagger's Reconcile test: backends update, weights kept, an edited prefix undone. */
  @Test
  void reconcileUpdatesBackendsKeepsWeightsAndUndoesEditsOfTheRoutes() {
    router.reconcile(appmesh(V1));
    Canary moreBackends = appmesh(V1, "backends: [backend.default, test.example.com]");
    router.reconcile(moreBackends);
    assertThat((List<?>) at(node("podinfo-canary"), "backends")).hasSize(2);

    GenericKubernetesResource vs = vservice("podinfo.default");
    targets(vs).forEach(t -> t.put("weight", 50));
    replace(vs);
    router.reconcile(moreBackends);
    assertThat(targets(vservice("podinfo.default")).get(0)).containsEntry("weight", 50);

    vs = vservice("podinfo.default");
    ((Map<String, Object>) at(vs, "routes", 0, "http", "match")).put("prefix", "api");
    replace(vs);
    router.reconcile(moreBackends);

    GenericKubernetesResource undone = vservice("podinfo.default");
    assertThat(at(undone, "routes", 0, "http", "match", "prefix")).isEqualTo("/");
    assertThat(targets(undone).get(0)).containsEntry("weight", 50);
  }

  @Test
  void reconcileLeavesTheServiceAloneWhenOnlyWeightsDiffer() {
    Canary c = appmesh(V1);
    router.reconcile(c);
    router.setRoutes(c, new Routes(60, 40, false));
    String version = vservice("podinfo.default").getMetadata().getResourceVersion();

    router.reconcile(c);

    assertThat(vservice("podinfo.default").getMetadata().getResourceVersion()).isEqualTo(version);
  }

  /** Flagger's GetSetRoutes test. */
  @Test
  void setRoutesAndGetRoutesRoundTripTheSplit() {
    Canary c = appmesh(V1);
    router.reconcile(c);

    router.setRoutes(c, new Routes(60, 40, false));

    assertThat(router.getRoutes(c)).isEqualTo(new Routes(60, 40, false));
    assertThat(targets(vservice("podinfo.default")))
        .isEqualTo(List.of(named("podinfo-canary", 40), named("podinfo-primary", 60)));
  }

  /** Flagger's A/B test. */
  @Test
  void abTestingRoutesByHeader() {
    router.reconcile(abtest(V1));

    GenericKubernetesResource vs = vservice("abtest.default");
    assertThat((List<?>) at(vs, "routes")).hasSize(2);
    assertThat(at(vs, "routes", 0, "http", "match", "headers", 0))
        .isEqualTo(Map.of("name", "x-user-type", "match", Map.of("exact", "test")));
  }

  /** Flagger's Gateway test; in v1beta1 an update puts the annotations back too. */
  @Test
  void theApexServiceCarriesTheGatewayAnnotations() {
    router.reconcile(appmesh(V1));
    assertThat(vservice("podinfo.default").getMetadata().getAnnotations())
        .containsEntry("gateway.appmesh.k8s.aws/expose", "true")
        .containsEntry("gateway.appmesh.k8s.aws/domain", "*,")
        .containsEntry("gateway.appmesh.k8s.aws/timeout", "30s")
        .containsEntry("gateway.appmesh.k8s.aws/retries", "5");

    router.reconcile(appmesh(V1, "hosts: [podinfo.example.com]\nmatch:\n  - uri: {prefix: /api}"));

    assertThat(vservice("podinfo.default").getMetadata().getAnnotations())
        .containsEntry("gateway.appmesh.k8s.aws/domain", "podinfo.example.com,");
    assertThat(vservice("podinfo-canary.default").getMetadata().getAnnotations()).isNullOrEmpty();
  }

  @Test
  void aCanaryWithoutMeshNameIsRefusedWithTheFieldNamed() {
    assertThatThrownBy(() -> router.reconcile(appmesh(V1, "meshName:")))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith("spec.service.meshName of appmesh.default is required");
    assertThat(node("podinfo")).isNull();
  }

  @Test
  void getRoutesWithoutTheServiceNamesIt() {
    assertThatThrownBy(() -> router.getRoutes(appmesh(V1)))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "VirtualService podinfo.default get query error: virtualservices.appmesh.k8s.aws"
                + " \"podinfo.default\" not found");
  }
}
