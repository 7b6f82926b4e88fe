package app.flagger.sandbox.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mesh routes by Gateway API HTTPRoutes (a Gateway's hostnames, or attached to a Service) and
 * by SMI TrafficSplits, and reports the requests as Envoy and Linkerd do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayApiAndSmiRoutingTest {
  private MeshFixture f;

  @BeforeAll
  void podinfoPrimaryAndCanaryRunBehindTheMesh(@TempDir Path logs) throws Exception {
    f = new MeshFixture(logs, Map.of());
  }

  @AfterAll
  void stop() {
    f.close();
  }

  private List<HttpResponse<String>> send(int n, String url, Map<String, String> headers) {
    return f.send(n, url, headers);
  }

  private static Predicate<HttpResponse<String>> version(String v) {
    return r -> r.statusCode() == 200 && r.body().contains("\"version\":\"" + v + "\"");
  }

  @Test
  void aGatewaysHttpRouteSplitsItsHostnameByWeightAndReportsEnvoyClusters() {
    f.apply(
        RouteTable.HTTP_ROUTE,
        "podinfo",
        """
        parentRefs: [{name: public, namespace: gateway-system}]
        hostnames: [app.example.com]
        rules:
          - matches: [{path: {type: PathPrefix, value: /}}]
            backendRefs:
              - {group: "", kind: Service, name: podinfo-primary, port: 9898, weight: 70}
              - {group: "", kind: Service, name: podinfo-canary, port: 9898, weight: 30}
            timeouts: {request: 15s}
        """);
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> send(1, "http://app.example.com/", Map.of()).getFirst().statusCode() == 200);
      long canaryBefore = f.mesh.telemetry().upstreamRequests("test_podinfo-canary_9898");
      long primaryBefore = f.mesh.telemetry().upstreamRequests("test_podinfo-primary_9898");

      List<HttpResponse<String>> replies = send(1000, "http://app.example.com/", Map.of());

      long canary = replies.stream().filter(version("6.0.1")).count();
      long primary = replies.stream().filter(version("6.0.0")).count();
      assertThat(primary + canary).isEqualTo(1000);
      assertThat(canary / 10.0).isBetween(26.0, 34.0);
      assertThat(f.mesh.telemetry().upstreamRequests("test_podinfo-canary_9898") - canaryBefore)
          .isEqualTo(canary);
      assertThat(f.mesh.telemetry().upstreamRequests("test_podinfo-primary_9898") - primaryBefore)
          .isEqualTo(primary);
      assertThat(f.mesh.telemetry().render(f.kubelet.pods()))
          .contains(
              "envoy_cluster_upstream_rq{envoy_cluster_name=\"test_podinfo-canary_9898\","
                  + "envoy_response_code=\"200\"}")
          .contains(
              "envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name=\"test_podinfo-canary_9898\","
                  + "envoy_response_code=\"200\",le=\"+Inf\"}");
    } finally {
      f.delete(RouteTable.HTTP_ROUTE, "podinfo");
    }
  }

  @Test
  void anHttpRouteAttachedToAServiceRoutesItsMatchesAndMirrors() {
    f.apply(
        RouteTable.HTTP_ROUTE_V1BETA1,
        "podinfo-mesh",
        """
        parentRefs: [{group: "", kind: Service, name: podinfo, port: 9898}]
        rules:
          - matches: [{headers: [{name: x-canary, value: insider}]}]
            backendRefs: [{name: podinfo-canary, port: 9898}]
          - filters:
              - type: RequestMirror
                requestMirror: {backendRef: {name: podinfo-canary, port: 9898}}
            backendRefs: [{name: podinfo-primary, port: 9898}]
        """);
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  version("6.0.1")
                      .test(
                          send(1, "http://podinfo.test:9898/", Map.of("x-canary", "insider"))
                              .getFirst()));
      assertThat(send(40, "http://podinfo.test:9898/", Map.of("x-canary", "insider")))
          .allMatch(version("6.0.1"));
      long mirroredBefore = f.mesh.telemetry().upstreamRequests("test_podinfo-canary_9898");
      assertThat(send(40, "http://podinfo.test:9898/status/404", Map.of()))
          .allMatch(r -> r.statusCode() == 404);
      // every plain request is mirrored to the canary, its answer dropped
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  f.mesh.telemetry().upstreamRequests("test_podinfo-canary_9898") - mirroredBefore
                      >= 40);
    } finally {
      f.delete(RouteTable.HTTP_ROUTE_V1BETA1, "podinfo-mesh");
    }
  }

  @Test
  void aTrafficSplitSplitsItsServiceAndTheAnsweringPodsReportLinkerdsInboundMetrics() {
    f.apply(
        RouteTable.trafficSplits("v1alpha1"),
        "podinfo",
        """
        service: podinfo
        backends:
          - {service: podinfo-canary, weight: "20"}
          - {service: podinfo-primary, weight: "80"}
        """);
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  send(40, "http://podinfo.test:9898/", Map.of()).stream()
                      .anyMatch(version("6.0.1")));
      long failuresBefore = f.mesh.telemetry().inboundFailures("test", "podinfo-canary");

      List<HttpResponse<String>> replies = send(1000, "http://podinfo.test:9898/", Map.of());
      long canary = replies.stream().filter(version("6.0.1")).count();
      assertThat(replies).allMatch(r -> r.statusCode() == 200);
      assertThat(canary / 10.0).isBetween(16.0, 24.0);

      List<HttpResponse<String>> errors =
          send(200, "http://podinfo.test:9898/status/503", Map.of());
      long canaryErrors = errors.stream().filter(r -> r.statusCode() == 503).count();
      assertThat(canaryErrors).isEqualTo(200);
      assertThat(f.mesh.telemetry().inboundFailures("test", "podinfo-canary") - failuresBefore)
          .as("a canary 5xx is a failure to Linkerd")
          .isBetween(20L, 60L);
      assertThat(f.mesh.telemetry().render(f.kubelet.pods()))
          .containsPattern(
              "response_total\\{direction=\"inbound\",namespace=\"test\","
                  + "deployment=\"podinfo-canary\",pod=\"podinfo-canary-[a-z0-9]+-[a-z0-9]+\","
                  + "status_code=\"503\",classification=\"failure\",tls=\"no_identity\"} \\d+")
          .containsPattern(
              "response_latency_ms_bucket\\{direction=\"inbound\",namespace=\"test\","
                  + "deployment=\"podinfo-primary\",.*,le=\"50000\"} \\d+");
    } finally {
      f.delete(RouteTable.trafficSplits("v1alpha1"), "podinfo");
    }
  }
}
