package app.flagger.sandbox.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The mesh routes like Istio's sidecars and counts exactly what it served. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxMeshTest {
  @TempDir Path logs;
  private MeshFixture f;

  @BeforeAll
  void start() throws Exception {
    f = new MeshFixture(logs, Map.of());
  }

  @AfterAll
  void stop() {
    f.close();
  }

  /**
   * The series of one workload and status code. Each test counts its own status code, so mirror
   * copies still in flight from another test never show up in its counts.
   */
  private static Predicate<RequestSeries> to(String workload, int code) {
    return s ->
        s.reporter().equals("destination")
            && s.destinationWorkload().equals(workload)
            && s.responseCode() == code;
  }

  private List<HttpResponse<String>> send(int n, String url, Map<String, String> headers) {
    return f.send(n, url, headers);
  }

  /**
   * Routes {@code podinfo} by a weighted VirtualService of {@code weights} (host to weight) and
   * waits until the version {@code reached} answers through it.
   */
  private void weighted(Map<String, Integer> weights, String reached) {
    StringBuilder vs = new StringBuilder("hosts: [podinfo]\ngateways: [mesh]\nhttp:\n  - route:\n");
    weights.forEach(
        (host, weight) ->
            vs.append("      - destination: {host: ")
                .append(host)
                .append("}\n        weight: ")
                .append(weight)
                .append('\n'));
    f.virtualService(vs.toString());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> f.get("http://podinfo.test:9898/").body().contains(reached));
  }

  private static long answeredBy(List<HttpResponse<String>> replies, String version) {
    return replies.stream()
        .filter(r -> r.body().contains("\"version\":\"" + version + "\""))
        .count();
  }

  /** Weighted routing stays within 3 percentage points of the VirtualService's weights. */
  @Test
  void splitsTrafficByTheVirtualServiceWeightsAndCountsEveryRequest() throws Exception {
    weighted(Map.of("podinfo-primary", 70, "podinfo-canary", 30), "6.0.1");
    long primaryBefore = f.mesh.telemetry().requests(to("podinfo-primary", 200));
    long canaryBefore = f.mesh.telemetry().requests(to("podinfo-canary", 200));

    List<HttpResponse<String>> replies = send(2000, "http://podinfo.test:9898/", Map.of());

    long canary = answeredBy(replies, "6.0.1");
    long primary = answeredBy(replies, "6.0.0");
    assertThat(replies).allMatch(r -> r.statusCode() == 200);
    assertThat(primary + canary).isEqualTo(2000);
    assertThat(canary * 100.0 / 2000).isBetween(27.0, 33.0);
    assertThat(f.mesh.telemetry().requests(to("podinfo-canary", 200)) - canaryBefore)
        .isEqualTo(canary);
    assertThat(f.mesh.telemetry().requests(to("podinfo-primary", 200)) - primaryBefore)
        .isEqualTo(primary);
  }

  /**
   * The judge's three-way split: a same-age baseline takes the canary's weight from the primary's
   * share, and its requests are reported under its own workload, {@code podinfo-baseline}, which
   * the builtin queries rendered for the baseline select.
   */
  @Test
  void splitsThreeWaysWithABaselineReportedAsItsOwnWorkload() throws Exception {
    MeshFixture.deployment(f.api.client(), "podinfo-baseline", "6.0.2", Map.of());
    MeshFixture.service(f.api.client(), "podinfo-baseline", "podinfo-baseline");
    try {
      Map<String, Integer> weights = new LinkedHashMap<>();
      weights.put("podinfo-primary", 60);
      weights.put("podinfo-canary", 20);
      weights.put("podinfo-baseline", 20);
      weighted(weights, "6.0.2");
      long before = f.mesh.telemetry().requests(to("podinfo-baseline", 200));

      List<HttpResponse<String>> replies = send(2000, "http://podinfo.test:9898/", Map.of());

      long baseline = answeredBy(replies, "6.0.2");
      long canary = answeredBy(replies, "6.0.1");
      assertThat(replies).allMatch(r -> r.statusCode() == 200);
      assertThat(baseline * 100.0 / 2000).isBetween(17.0, 23.0);
      assertThat(canary * 100.0 / 2000).isBetween(17.0, 23.0);
      assertThat(f.mesh.telemetry().requests(to("podinfo-baseline", 200)) - before)
          .isEqualTo(baseline);
    } finally {
      f.api.client().apps().deployments().inNamespace("test").withName("podinfo-baseline").delete();
      f.api.client().services().inNamespace("test").withName("podinfo-baseline").delete();
    }
  }

  @Test
  void headerMatchesPickTheirRoute() throws Exception {
    f.virtualService(
        """
        hosts: [podinfo]
        http:
          - match:
              - headers:
                  x-canary: {exact: insider}
              - headers:
                  cookie: {regex: "^(.*?;)?(canary=always)(;.*)?$"}
            route:
              - destination: {host: podinfo-canary}
          - route:
              - destination: {host: podinfo-primary}
        """);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                send(1, "http://podinfo.test/", Map.of("x-canary", "insider"))
                    .getFirst()
                    .body()
                    .contains("6.0.1"));
    assertThat(send(50, "http://podinfo.test/", Map.of("x-canary", "insider")))
        .allMatch(r -> r.body().contains("\"version\":\"6.0.1\""));
    assertThat(send(50, "http://podinfo.test/", Map.of("cookie", "type=insider;canary=always")))
        .allMatch(r -> r.body().contains("\"version\":\"6.0.1\""));
    assertThat(send(50, "http://podinfo.test/", Map.of("x-canary", "outsider")))
        .allMatch(r -> r.body().contains("\"version\":\"6.0.0\""));
  }

  @Test
  void mirrorsTheConfiguredShareToTheCanary() throws Exception {
    f.virtualService(
        """
        hosts: [podinfo]
        http:
          - route:
              - destination: {host: podinfo-primary}
                weight: 100
              - destination: {host: podinfo-canary}
                weight: 0
            mirror: {host: podinfo-canary}
            mirrorPercentage: {value: 100}
        """);
    // warm-up answers 203, the measured requests 202: late warm-up copies are not counted
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              long before = f.mesh.telemetry().requests(to("podinfo-canary", 203));
              send(1, "http://podinfo.test/status/203", Map.of());
              return f.mesh.telemetry().requests(to("podinfo-canary", 203)) > before;
            });
    List<HttpResponse<String>> replies = send(100, "http://podinfo.test/status/202", Map.of());
    assertThat(replies).allMatch(r -> r.statusCode() == 202);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(f.mesh.telemetry().requests(to("podinfo-primary", 202))).isEqualTo(100);
              assertThat(f.mesh.telemetry().requests(to("podinfo-canary", 202))).isEqualTo(100);
            });
  }

  @Test
  void readsVirtualServicesOfIstiosV1ApiToo() throws Exception {
    GenericKubernetesResource vs =
        f.api
            .client()
            .getKubernetesSerialization()
            .unmarshal(
                """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: podinfo-v1, namespace: test}
                spec:
                  hosts: [podinfo-v1]
                  http:
                    - route:
                        - destination: {host: podinfo-canary.test.svc.cluster.local}
                """,
                GenericKubernetesResource.class);
    f.api
        .client()
        .genericKubernetesResources(RouteTable.VIRTUAL_SERVICE_V1)
        .inNamespace("test")
        .resource(vs)
        .create();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> f.get("http://podinfo-v1.test/version").body().contains("6.0.1"));
  }

  @Test
  void resolvesNamesAsAProxyAndByHostHeader() throws Exception {
    assertThat(f.get("http://podinfo-canary.test:9898/version").body()).contains("6.0.1");
    assertThat(f.get("http://podinfo-primary.test.svc.cluster.local/version").body())
        .contains("6.0.0");
    HttpResponse<String> token =
        f.viaMesh.send(
            HttpRequest.newBuilder(URI.create("http://podinfo-canary.test:9898/token"))
                .POST(HttpRequest.BodyPublishers.ofString("test"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(token.body()).containsPattern("\"token\":\"[0-9a-f]{32}\"");
    assertThat(f.get("http://nothing.test/").statusCode()).isEqualTo(404);
    assertThat(f.get("http://nothing.test/").body())
        .contains("no Service nothing in namespace test");

    // a process outside the kubelet, registered by name
    HttpServer loadtester =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    loadtester.createContext(
        "/",
        ex -> {
          byte[] ok = "loadtester here".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, ok.length);
          ex.getResponseBody().write(ok);
          ex.close();
        });
    loadtester.start();
    try {
      f.mesh.register("flagger-loadtester", "test", loadtester.getAddress().getPort());
      assertThat(f.get("http://flagger-loadtester.test/").body()).isEqualTo("loadtester here");
    } finally {
      loadtester.stop(0);
    }

    // a plain request with a Host header, as a sidecar would get it
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), f.mesh.port())) {
      OutputStream out = s.getOutputStream();
      out.write(
          "GET /version HTTP/1.1\r\nHost: podinfo-canary.test:9898\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(all).startsWith("HTTP/1.1 200").contains("6.0.1");
    }
  }

  @Test
  void metricsCarryIstioAndContainerSeries() throws Exception {
    f.get("http://podinfo-canary.test:9898/status/500");
    String metrics =
        f.viaMesh
            .send(
                HttpRequest.newBuilder(URI.create(f.mesh.metricsUrl())).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains("# TYPE istio_requests_total counter")
        .containsPattern(
            "istio_requests_total\\{reporter=\"destination\",source_workload=\"unknown\",.*destination_workload=\"podinfo-canary\",destination_workload_namespace=\"test\",.*response_code=\"500\".*connection_security_policy=\"none\"\\} \\d+")
        .contains("istio_request_duration_milliseconds_bucket{")
        .containsPattern(
            "container_cpu_usage_seconds_total\\{namespace=\"test\",pod=\"podinfo-canary-[a-z0-9]+-[a-z0-9]+\",container=\"podinfod\",cpu=\"total\"\\} [0-9.]+")
        .containsPattern(
            "container_memory_working_set_bytes\\{namespace=\"test\",pod=\"podinfo-primary-[^\"]+\",container=\"podinfod\"\\} [1-9][0-9]{6,}")
        .containsPattern(
            "container_network_receive_bytes_total\\{namespace=\"test\",pod=\"podinfo-canary-[^\"]+\",container=\"podinfod\",interface=\"eth0\"\\} [1-9]");
  }
}
