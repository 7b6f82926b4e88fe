package app.flagger.controller.router.gatewayapi;

import static app.flagger.controller.router.gatewayapi.GatewayApiFixtures.at;
import static app.flagger.controller.router.gatewayapi.GatewayApiFixtures.backend;
import static app.flagger.controller.router.gatewayapi.GatewayApiFixtures.canary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.controller.router.gatewayapi.HttpRouteBuilder.Version;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanaryStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class GatewayApiRouterKubeTest {
  KubernetesClient client;

  /** Every cookie letter is 'a'. */
  private static final RandomGenerator ZEROS = () -> 0L;

  @BeforeEach
  void registerCrd() {
    GatewayApiCrds.register(client);
  }

  private GatewayApiRouter router() {
    return new GatewayApiRouter(client, Version.V1, ZEROS);
  }

  private GenericKubernetesResource route(Version v) {
    return client
        .genericKubernetesResources(GatewayApiRouter.httpRoutes(v))
        .inNamespace("default")
        .withName("podinfo")
        .get();
  }

  private GenericKubernetesResource route() {
    return route(Version.V1);
  }

  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return GatewayApiRouter.spec(r);
  }

  @Test
  void reconcileCreatesTheHttpRouteOwnedByTheCanary() {
    router().reconcile(canary("apex:\n  annotations:\n    owner: web-team", ""));

    GenericKubernetesResource r = route();
    assertThat(r.getApiVersion()).isEqualTo("gateway.networking.k8s.io/v1");
    assertThat(r.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("podinfo");
    assertThat(r.getMetadata().getAnnotations())
        .containsEntry("owner", "web-team")
        .containsEntry("kustomize.toolkit.fluxcd.io/reconcile", "disabled")
        .containsEntry("helm.toolkit.fluxcd.io/driftDetection", "disabled");
    assertThat((List<Object>) at(spec(r), "rules", 0, "backendRefs"))
        .containsExactly(backend("podinfo-primary", 100), backend("podinfo-canary", 0));
    assertThat((Map<String, Object>) at(spec(r), "rules", 0, "timeouts"))
        .isEqualTo(Map.of("request", "10s", "backendRequest", "5s"));
  }

  @Test
  void reconcileWithoutGatewayRefsFailsWithFlaggersMessage() {
    Canary c = canary("gatewayRefs: []", "");

    assertThatThrownBy(() -> router().reconcile(c))
        .isInstanceOf(RouterException.class)
        .hasMessage("GatewayRefs must be specified when using Gateway API as a provider.");
  }

  @Test
  void reconcileUpdatesTheRouteWhenTheSpecChanges() {
    router().reconcile(canary());

    router()
        .reconcile(canary("hosts: [app.example.com]\nmatch:\n  - uri:\n      prefix: /api", ""));

    Map<String, Object> spec = spec(route());
    assertThat((List<Object>) spec.get("hostnames")).containsExactly("app.example.com");
    assertThat((String) at(spec, "rules", 0, "matches", 0, "path", "value")).isEqualTo("/api");
  }

  @Test
  void reconcileLeavesTheRouteAloneWhenOnlyWeightsDiffer() {
    Canary c = canary();
    router().reconcile(c);
    router().setRoutes(c, new Routes(60, 40, false));
    String version = route().getMetadata().getResourceVersion();

    router().reconcile(c);

    GenericKubernetesResource r = route();
    assertThat(r.getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(router().getRoutes(c)).isEqualTo(new Routes(60, 40, false));
  }

  @Test
  void reconcileKeepsWhatOthersAddedToTheRoute() {
    router().reconcile(canary());
    GenericKubernetesResource r = route();
    r.getMetadata().getAnnotations().put("foo", "bar");
    r.getMetadata().setLabels(Map.of("added-by", "gateway-controller"));
    Map<String, Object> spec = new LinkedHashMap<>(spec(r));
    spec.put("useDefaultGateways", "All");
    r.setAdditionalProperty("spec", spec);
    client
        .genericKubernetesResources(GatewayApiRouter.httpRoutes(Version.V1))
        .inNamespace("default")
        .resource(r)
        .update();

    router().reconcile(canary("hosts: [app.example.com]", ""));

    GenericKubernetesResource after = route();
    assertThat(after.getMetadata().getAnnotations())
        .containsEntry("foo", "bar")
        .containsEntry("kustomize.toolkit.fluxcd.io/reconcile", "disabled");
    assertThat(after.getMetadata().getLabels()).containsEntry("added-by", "gateway-controller");
    assertThat(spec(after)).containsEntry("useDefaultGateways", "All");
    assertThat((List<Object>) spec(after).get("hostnames")).containsExactly("app.example.com");
  }

  @Test
  void setRoutesAndGetRoutesRoundTripWeightsAndMirroring() {
    Canary c = canary("", "iterations: 10\nmirror: true");
    router().reconcile(c);

    router().setRoutes(c, new Routes(100, 0, true));
    assertThat(router().getRoutes(c)).isEqualTo(new Routes(100, 0, true));

    router().setRoutes(c, new Routes(100, 0, false));
    assertThat(router().getRoutes(c)).isEqualTo(new Routes(100, 0, false));
  }

  /** Flagger's "b/g mirror" case: a reconcile during the run keeps the mirror filter. */
  @Test
  void reconcileKeepsTheMirrorFilterOnlyWhileTheRunIsInProgress() {
    Canary c = canary("", "iterations: 5\nmirror: true");
    router().reconcile(c);
    router().setRoutes(c, new Routes(100, 0, true));
    Object mirroredRule = at(spec(route()), "rules", 0);

    c.setStatus(status(CanaryPhase.PROGRESSING));
    router().reconcile(c);
    assertThat((Object) at(spec(route()), "rules", 0)).isEqualTo(mirroredRule);

    c.setStatus(status(CanaryPhase.SUCCEEDED));
    router().reconcile(c);
    assertThat((Map<String, Object>) at(spec(route()), "rules", 0)).doesNotContainKey("filters");
    assertThat(router().getRoutes(c)).isEqualTo(new Routes(100, 0, false));
  }

  private static CanaryStatus status(CanaryPhase phase) {
    return new CanaryStatus(
        phase, 0, 0, 0, null, null, null, null, null, null, null, null, null, null);
  }

  @Test
  void sessionAffinityRulesSurviveReconcileAndGetRoutesReadsTheWeightedRule() {
    Canary c = canary("", "sessionAffinity:\n  cookieName: flagger-cookie\n  maxAge: 300");
    router().reconcile(c);
    router().setRoutes(c, new Routes(90, 10, false));
    List<Object> rules = (List<Object>) spec(route()).get("rules");

    router().reconcile(c);

    assertThat((List<Object>) spec(route()).get("rules")).isEqualTo(rules).hasSize(2);
    assertThat(router().getRoutes(c)).isEqualTo(new Routes(90, 10, false));
  }

  @Test
  void getRoutesFailsWhileAParentHasNotAcceptedTheRoute() {
    Canary c = canary();
    router().reconcile(c);
    router().setRoutes(c, new Routes(90, 10, false));
    long generation = route().getMetadata().getGeneration();

    setParentStatus(generation, "False", generation - 1);
    assertThatThrownBy(() -> router().getRoutes(c))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "HTTPRoute podinfo.default parent podinfo is not ready (status: False, observed"
                + " generation: "
                + (generation - 1)
                + ", current generation: "
                + generation
                + ")");

    setParentStatus(generation, "False", generation);
    assertThatThrownBy(() -> router().getRoutes(c)).hasMessageContaining("status: False");

    setParentStatus(generation, "True", generation - 1);
    assertThatThrownBy(() -> router().getRoutes(c))
        .as("accepted, but for an older generation")
        .hasMessageContaining("is not ready (status: True");

    setParentStatus(generation, "True", generation);
    assertThat(router().getRoutes(c)).isEqualTo(new Routes(90, 10, false));
  }

  /** Flagger's GetRoutes case: a second parent status for another section is not ours. */
  private void setParentStatus(long generation, String status, long observed) {
    GenericKubernetesResource r = route();
    r.setAdditionalProperty(
        "status",
        Map.of(
            "parents",
            List.of(
                Map.of(
                    "parentRef",
                    Map.of("name", "podinfo", "sectionName", "https"),
                    "controllerName",
                    "example.com/gateway",
                    "conditions",
                    List.of(condition("True", 0))),
                Map.of(
                    "parentRef",
                    Map.of("name", "podinfo"),
                    "controllerName",
                    "example.com/gateway",
                    "conditions",
                    List.of(condition(status, observed))))));
    client
        .genericKubernetesResources(GatewayApiRouter.httpRoutes(Version.V1))
        .inNamespace("default")
        .resource(r)
        .updateStatus();
    assertThat(route().getMetadata().getGeneration()).isEqualTo(generation);
  }

  private static Map<String, Object> condition(String status, long observed) {
    return Map.of(
        "type", "Accepted",
        "status", status,
        "reason", "Accepted",
        "message", "",
        "lastTransitionTime", "2026-01-01T00:00:00Z",
        "observedGeneration", observed);
  }

  @Test
  void getRoutesWithoutTheRouteNamesIt() {
    assertThatThrownBy(() -> router().getRoutes(canary()))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "HTTPRoute podinfo.default get error: httproutes.gateway.networking.k8s.io"
                + " \"podinfo\" not found");
  }

  @Test
  void finalizeLeavesTheRouteToGarbageCollectionAsFlagger() {
    Canary c = canary();
    router().reconcile(c);
    router().setRoutes(c, new Routes(70, 30, false));

    router().finalize(c);

    assertThat(router().getRoutes(c)).isEqualTo(new Routes(70, 30, false));
  }

  @Test
  void v1beta1RouterWritesV1beta1RoutesWithoutTheParentCheck() {
    GatewayApiRouter beta = new GatewayApiRouter(client, Version.V1BETA1, ZEROS);
    Canary c = canary();

    beta.reconcile(c);
    beta.setRoutes(c, new Routes(80, 20, false));

    GenericKubernetesResource r = route(Version.V1BETA1);
    assertThat(r.getApiVersion()).isEqualTo("gateway.networking.k8s.io/v1beta1");
    assertThat((Map<String, Object>) at(spec(r), "rules", 0)).doesNotContainKey("timeouts");
    assertThat(beta.getRoutes(c)).isEqualTo(new Routes(80, 20, false));
  }
}
