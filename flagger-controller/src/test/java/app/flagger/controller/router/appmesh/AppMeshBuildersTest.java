package app.flagger.controller.router.appmesh;

import static app.flagger.controller.router.appmesh.AppMeshFixtures.abtest;
import static app.flagger.controller.router.appmesh.AppMeshFixtures.appmesh;
import static app.flagger.controller.router.appmesh.AppMeshFixtures.named;
import static app.flagger.controller.router.appmesh.AppMeshFixtures.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The App Mesh objects for Flagger's test Canaries, field by field as Flagger's {@code
 * AppMeshRouter} (v1beta1) and {@code AppMeshv1beta2Router} build them.
 */
class AppMeshBuildersTest {
  private static final String V1 = "appmesh";
  private static final String V2 = "appmesh:v1beta2";
  private static final Map<String, Object> ACCESS_LOG =
      Map.of("accessLog", Map.of("file", Map.of("path", "/dev/stdout")));
  private static final Map<String, Object> MS_30S = Map.of("unit", "ms", "value", 30000);
  private static final Map<String, Object> HTTP_9898 = Map.of("port", 9898, "protocol", "http");

  /** Flagger's fixture swaps perTryTimeout and retryOn: 250ms by default, event "5s". */
  private static final Map<String, Object> RETRY_V2 =
      Map.of(
          "perRetryTimeout",
          Map.of("unit", "ms", "value", 250),
          "maxRetries",
          5,
          "httpRetryEvents",
          List.of("5s"));

  private static final Map<String, Object> RETRY_V1 =
      Map.of("perRetryTimeoutMillis", 250, "maxRetries", 5, "httpRetryEvents", List.of("5s"));

  @Test
  void v1beta2VirtualNodeListensDiscoversSelectsLogsAndReachesTheBackends() {
    Canary c = appmesh(V2);

    assertThat(
            VirtualNodeBuilder.specV1beta2(
                c, "podinfo-primary.default.svc.cluster.local.", "app", "podinfo-primary"))
        .isEqualTo(
            Map.of(
                "listeners",
                List.of(
                    Map.of(
                        "portMapping",
                        HTTP_9898,
                        "timeout",
                        Map.of("http", Map.of("perRequest", MS_30S)))),
                "serviceDiscovery",
                Map.of("dns", Map.of("hostname", "podinfo-primary.default.svc.cluster.local.")),
                "podSelector",
                Map.of("matchLabels", Map.of("app", "podinfo-primary")),
                "logging",
                ACCESS_LOG,
                "backends",
                List.of(
                    Map.of(
                        "virtualService",
                        Map.of("virtualServiceRef", Map.of("name", "backend.default"))))));
  }

  /** Flagger's backends update: a name becomes a reference, an ARN stays an ARN. */
  @Test
  void v1beta2BackendsAreReferencesOrArns() {
    String arn = "arn:aws:appmesh:eu-west-1:12345678910:mesh/my-mesh/virtualService/mytestservice";
    Canary c = appmesh(V2, "backends: [backend.default, test.example.com, \"" + arn + "\"]");

    assertThat(VirtualNodeBuilder.specV1beta2(c, "h", "app", "p").get("backends"))
        .isEqualTo(
            List.of(
                Map.of(
                    "virtualService",
                    Map.of("virtualServiceRef", Map.of("name", "backend.default"))),
                Map.of(
                    "virtualService",
                    Map.of("virtualServiceRef", Map.of("name", "test.example.com"))),
                Map.of("virtualService", Map.of("virtualServiceARN", arn))));
  }

  @Test
  void withoutAccessLogTimeoutAndBackendsThoseFieldsAreAbsent() {
    Canary c = AppMeshFixtures.podinfo("{port: 80, targetPort: 9898, portName: grpc}", "");

    assertThat(VirtualNodeBuilder.specV1beta2(c, "h", "app", "podinfo"))
        .isEqualTo(
            Map.of(
                "listeners",
                List.of(Map.of("portMapping", Map.of("port", 9898, "protocol", "grpc"))),
                "serviceDiscovery",
                Map.of("dns", Map.of("hostname", "h")),
                "podSelector",
                Map.of("matchLabels", Map.of("app", "podinfo"))));
    assertThat(VirtualNodeBuilder.specV1beta1(c, "global", "podinfo-primary.default"))
        .as("v1beta1 listens on service.port")
        .containsEntry(
            "listeners", List.of(Map.of("portMapping", Map.of("port", 80, "protocol", "grpc"))));
  }

  @Test
  void v1beta2ApexRouterSplitsWithRetriesAndTimeout() {
    assertThat(VirtualRouterBuilder.spec(appmesh(V2), 0))
        .isEqualTo(
            Map.of(
                "listeners",
                List.of(Map.of("portMapping", HTTP_9898)),
                "routes",
                List.of(
                    Map.of(
                        "name",
                        "podinfo",
                        "httpRoute",
                        Map.of(
                            "match",
                            Map.of("prefix", "/"),
                            "action",
                            Map.of(
                                "weightedTargets",
                                List.of(ref("podinfo-canary", 0), ref("podinfo-primary", 100))),
                            "retryPolicy",
                            RETRY_V2,
                            "timeout",
                            Map.of("perRequest", MS_30S))))));
  }

  /** Flagger's check: the canary router sends everything to the canary virtual node. */
  @Test
  void v1beta2CanaryRouterSendsAllToTheCanaryNode() {
    List<?> routes = (List<?>) VirtualRouterBuilder.spec(appmesh(V2), 100).get("routes");

    assertThat(routes).hasSize(1);
    Map<?, ?> route = (Map<?, ?>) routes.get(0);
    assertThat(route.get("name")).isEqualTo("podinfo-canary");
    assertThat(((Map<?, ?>) ((Map<?, ?>) route.get("httpRoute")).get("action")))
        .isEqualTo(
            Map.of(
                "weightedTargets", List.of(ref("podinfo-canary", 100), ref("podinfo-primary", 0))));
  }

  /** Flagger's A/B test: route a with the header match and priority 10, route b to the primary. */
  @Test
  void abTestingSplitsTheMatchedRequestsOnly() {
    Canary c = abtest(V2);

    assertThat(VirtualRouterBuilder.spec(c, 0).get("routes"))
        .isEqualTo(
            List.of(
                Map.of(
                    "name",
                    "abtest-a",
                    "priority",
                    10,
                    "httpRoute",
                    Map.of(
                        "match",
                        Map.of(
                            "prefix",
                            "/",
                            "headers",
                            List.of(
                                Map.of("name", "x-user-type", "match", Map.of("exact", "test")))),
                        "action",
                        Map.of(
                            "weightedTargets",
                            List.of(ref("abtest-canary", 0), ref("abtest-primary", 100))))),
                Map.of(
                    "name",
                    "abtest-b",
                    "priority",
                    20,
                    "httpRoute",
                    Map.of(
                        "match",
                        Map.of("prefix", "/"),
                        "action",
                        Map.of("weightedTargets", List.of(ref("abtest-primary", 100)))))));
    assertThat((List<?>) VirtualRouterBuilder.spec(c, 100).get("routes"))
        .as("the canary router has no A/B routes")
        .hasSize(1);
  }

  @Test
  void headerMatchesKeepEveryKindOfStringMatch() {
    Canary c =
        AppMeshFixtures.podinfo(
            """
            port: 9898
            match:
              - uri: {prefix: /api}
            """,
            """
            iterations: 2
            match:
              - headers:
                  user-agent: {regex: ".*Firefox.*"}
              - headers:
                  cookie: {suffix: "canary=always"}
                  x-b: {prefix: insider}
            """);

    Map<?, ?> a = (Map<?, ?>) RouteBuilder.routes(c, AppMeshApi.V1BETA2, 0).get(0);
    assertThat(((Map<?, ?>) a.get("httpRoute")).get("match"))
        .isEqualTo(
            Map.of(
                "prefix",
                "/api",
                "headers",
                List.of(
                    Map.of("name", "user-agent", "match", Map.of("regex", ".*Firefox.*")),
                    Map.of("name", "cookie", "match", Map.of("suffix", "canary=always")),
                    Map.of("name", "x-b", "match", Map.of("prefix", "insider")))));
  }

  @Test
  void retriesDefaultToOneGatewayErrorRetryOf250ms() {
    Canary defaults = appmesh(V2, "retries: {attempts: 0}");
    Canary set = appmesh(V2, "retries: {attempts: 3, perTryTimeout: 2s, retryOn: \"5xx, reset\"}");

    assertThat(CanaryMesh.retryPolicy(defaults, AppMeshApi.V1BETA2))
        .isEqualTo(
            Map.of(
                "perRetryTimeout",
                Map.of("unit", "ms", "value", 250),
                "maxRetries",
                1,
                "httpRetryEvents",
                List.of("gateway-error")));
    assertThat(CanaryMesh.retryPolicy(set, AppMeshApi.V1BETA1))
        .isEqualTo(
            Map.of(
                "perRetryTimeoutMillis",
                2000,
                "maxRetries",
                3,
                "httpRetryEvents",
                List.of("5xx", "reset")));
    assertThat(CanaryMesh.retryPolicy(appmesh(V2, "retries:"), AppMeshApi.V1BETA2)).isNull();
  }

  @Test
  void timeoutThatIsNoDurationIsLeftOut() {
    Canary c = appmesh(V2, "timeout: soon");

    assertThat(VirtualRouterBuilder.spec(c, 0).toString()).doesNotContain("perRequest");
  }

  /** Flagger's gateway test: the apex service is exposed on the hosts; the canary's is not. */
  @Test
  void v1beta2VirtualServicesPointAtTheirRouterAndTheApexOneCarriesGatewayAnnotations() {
    GenericKubernetesResource apex = VirtualServiceBuilder.buildV1beta2(appmesh(V2), "podinfo", 0);
    GenericKubernetesResource canary =
        VirtualServiceBuilder.buildV1beta2(appmesh(V2), "podinfo-canary", 100);

    assertThat(apex.getApiVersion()).isEqualTo("appmesh.k8s.aws/v1beta2");
    assertThat(apex.getAdditionalProperties().get("spec"))
        .isEqualTo(
            Map.of(
                "provider",
                Map.of("virtualRouter", Map.of("virtualRouterRef", Map.of("name", "podinfo")))));
    assertThat(apex.getMetadata().getAnnotations())
        .isEqualTo(
            Map.of(
                "gateway.appmesh.k8s.aws/expose", "true",
                "gateway.appmesh.k8s.aws/domain", "*,",
                "gateway.appmesh.k8s.aws/timeout", "30s",
                "gateway.appmesh.k8s.aws/retries", "5"));
    assertThat(apex.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("appmesh");
    assertThat(canary.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(VirtualServiceBuilder.buildV1beta2(appmesh(V2, "hosts:"), "podinfo", 0))
        .satisfies(vs -> assertThat(vs.getMetadata().getAnnotations()).isNullOrEmpty());
  }

  @Test
  void virtualNodesCarryTheApexMetadataFluxOptOutAndOwner() {
    Canary c = appmesh(V2, "apex:\n  labels: {team: a}\n  annotations: {note: b}");

    GenericKubernetesResource vn =
        VirtualNodeBuilder.build(c, AppMeshApi.V1BETA2, "podinfo-primary", Map.of());
    GenericKubernetesResource vr = VirtualRouterBuilder.build(c, "podinfo", Map.of());

    assertThat(vn.getKind()).isEqualTo("VirtualNode");
    assertThat(vn.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(vn.getMetadata().getLabels()).isEqualTo(Map.of("team", "a"));
    assertThat(vn.getMetadata().getAnnotations())
        .containsEntry("note", "b")
        .containsEntry("kustomize.toolkit.fluxcd.io/reconcile", "disabled")
        .containsEntry("helm.toolkit.fluxcd.io/driftDetection", "disabled");
    assertThat(vn.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("Canary");
    assertThat(vr.getMetadata().getAnnotations()).as("as Flagger: none").isNullOrEmpty();
    assertThat(vr.getMetadata().getLabels()).isNullOrEmpty();
  }

  @Test
  void v1beta1VirtualNodeNamesItsMeshAndHost() {
    assertThat(VirtualNodeBuilder.specV1beta1(appmesh(V1), "global", "podinfo-primary.default"))
        .isEqualTo(
            Map.of(
                "meshName",
                "global",
                "listeners",
                List.of(Map.of("portMapping", HTTP_9898)),
                "serviceDiscovery",
                Map.of("dns", Map.of("hostName", "podinfo-primary.default")),
                "logging",
                ACCESS_LOG,
                "backends",
                List.of(
                    Map.of("virtualService", Map.of("virtualServiceName", "backend.default")))));
  }

  @Test
  void v1beta1VirtualServiceEmbedsItsRouterAndRoutesWithoutTimeout() {
    assertThat(VirtualServiceBuilder.specV1beta1(appmesh(V1), "global", 0))
        .isEqualTo(
            Map.of(
                "meshName",
                "global",
                "virtualRouter",
                Map.of("name", "podinfo", "listeners", List.of(Map.of("portMapping", HTTP_9898))),
                "routes",
                List.of(
                    Map.of(
                        "name",
                        "podinfo",
                        "http",
                        Map.of(
                            "match",
                            Map.of("prefix", "/"),
                            "action",
                            Map.of(
                                "weightedTargets",
                                List.of(named("podinfo-canary", 0), named("podinfo-primary", 100))),
                            "retryPolicy",
                            RETRY_V1)))));
    assertThat(VirtualServiceBuilder.specV1beta1(appmesh(V1), "global", 100))
        .extractingByKey("virtualRouter")
        .isEqualTo(
            Map.of(
                "name", "podinfo-canary", "listeners", List.of(Map.of("portMapping", HTTP_9898))));
  }

  @Test
  void onlyWeightsDifferingIsNoChangeButAnyOtherFieldIs() {
    Canary c = appmesh(V2);
    Map<String, Object> desired = VirtualRouterBuilder.spec(c, 0);
    Map<String, Object> moved =
        RouteBuilder.withWeights(desired, c, AppMeshApi.V1BETA2, new Routes(40, 60, false), "x");

    assertThat(moved).isNotEqualTo(desired);
    assertThat(VirtualRouterBuilder.differs(moved, desired)).isFalse();
    assertThat(
            VirtualRouterBuilder.differs(
                VirtualRouterBuilder.spec(appmesh(V2, "timeout: 5s"), 0), desired))
        .isTrue();
    assertThat(
            RouteBuilder.keepingAction(
                VirtualRouterBuilder.spec(appmesh(V2, "timeout: 5s"), 0),
                moved,
                AppMeshApi.V1BETA2))
        .satisfies(
            spec ->
                assertThat(
                        RouteBuilder.read(spec, c, AppMeshApi.V1BETA2, "VirtualRouter", "podinfo"))
                    .isEqualTo(new Routes(40, 60, false)));
  }

  @Test
  void readingTheSplitFailsAsFlaggerWhenTheTargetsAreMissing() {
    Canary c = appmesh(V2);

    assertThatThrownBy(
            () ->
                RouteBuilder.read(
                    Map.of("routes", List.of()), c, AppMeshApi.V1BETA2, "VirtualRouter", "podinfo"))
        .isInstanceOf(RouterException.class)
        .hasMessage("VirtualRouter routes podinfo not found");
    Map<String, Object> zero =
        Map.of(
            "routes",
            List.of(
                Map.of(
                    "httpRoute",
                    Map.of(
                        "action",
                        Map.of("weightedTargets", List.of(ref("a", 50), ref("b", 50)))))));
    assertThatThrownBy(
            () -> RouteBuilder.read(zero, c, AppMeshApi.V1BETA2, "VirtualRouter", "podinfo"))
        .hasMessage(
            "VirtualRouter podinfo does not contain routes for podinfo-primary and podinfo-canary");
    assertThatThrownBy(
            () ->
                RouteBuilder.withWeights(
                    Map.of(), c, AppMeshApi.V1BETA2, Routes.allPrimary(), "VirtualRouter podinfo"))
        .hasMessage("VirtualRouter podinfo has no HTTP route to set the weights on");
  }
}
