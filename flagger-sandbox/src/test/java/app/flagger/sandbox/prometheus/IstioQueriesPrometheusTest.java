package app.flagger.sandbox.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.flagger.sandbox.SandboxApiServer;
import app.flagger.sandbox.kubelet.ProcessPodLauncher;
import app.flagger.sandbox.kubelet.SandboxKubelet;
import app.flagger.sandbox.mesh.SandboxMesh;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flagger's builtin Istio queries, run unchanged against the real Prometheus scraping the sandbox
 * mesh, give the success rate and latency of the traffic actually sent.
 */
class IstioQueriesPrometheusTest {
  // flagger-reference §3.3, istio row, with namespace=test, target=podinfo, interval=1m
  static final String SUCCESS_RATE =
      """
      sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="test",\
      destination_workload=~"podinfo",response_code!~"5.*"}[1m])) / \
      sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="test",\
      destination_workload=~"podinfo"}[1m])) * 100""";
  static final String DURATION =
      """
      histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{\
      reporter="destination",destination_workload_namespace="test",destination_workload=~"podinfo"}\
      [1m])) by (le))""";
  static final String CPU_BY_POD =
      """
      sum(rate(container_cpu_usage_seconds_total{cpu="total",namespace="test",pod=~"podinfo.*",\
      container!~"POD|istio-proxy"}[1m])) by (pod)""";

  @TempDir Path tmp;

  @Test
  void builtinSuccessRateAndDurationQueriesSeeTheServedTraffic() throws Exception {
    assumeTrue(Files.isExecutable(SandboxPrometheus.DEBIAN_BINARY), SandboxPrometheus.INSTALL_HINT);
    try (SandboxApiServer api = SandboxApiServer.start(0);
        SandboxKubelet kubelet =
            new SandboxKubelet(
                    api.client(),
                    new ProcessPodLauncher(tmp.resolve("pods")),
                    Clock.systemUTC(),
                    Duration.ofMillis(200))
                .start();
        SandboxMesh mesh =
            SandboxMesh.start(api.client(), kubelet, 0, new SplittableRandom(3), System::nanoTime);
        SandboxPrometheus prometheus =
            SandboxPrometheus.start(
                SandboxPrometheus.DEBIAN_BINARY,
                List.of(ScrapeTarget.of("sandbox-mesh", mesh.metricsUrl())),
                Duration.ofSeconds(2),
                tmp.resolve("prometheus"),
                Clock.systemUTC(),
                Duration.ofSeconds(60));
        HttpClient client = HttpClient.newBuilder().proxy(mesh.proxySelector()).build()) {
      api.client().resource(podinfo()).create();
      api.client().resource(podinfoCanaryService()).create();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> get(client, "/readyz").statusCode() == 200);

      // a known mix, 18 answered 200 for each 2 answered 500, in the same proportion at every
      // scrape; what is
      // served before Prometheus first sees both series warms the JVMs up and is not in rate()
      for (int i = 0; i < 2; i++) {
        round(client);
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  prometheus
                          .queryValue(
                              "count(istio_requests_total{destination_workload=\"podinfo\"})")
                          .orElse(0)
                      == 2);
      for (int i = 0; i < 5; i++) {
        round(client);
      }

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                OptionalDouble success = prometheus.queryValue(SUCCESS_RATE);
                assertThat(success).isPresent();
                assertThat(success.getAsDouble()).isCloseTo(90.0, within(1.0));
                OptionalDouble p99 = prometheus.queryValue(DURATION);
                assertThat(p99).isPresent();
                // every request took LATENCY_MS=1100 plus the proxy's share (far less than a
                // second even on a loaded machine): the (1000, 2500] bucket
                assertThat(p99.getAsDouble()).isGreaterThan(1000).isLessThanOrEqualTo(2500);
                assertThat(prometheus.query(CPU_BY_POD))
                    .singleElement()
                    .satisfies(s -> assertThat(s.value()).isPositive());
              });

      prometheus.addTarget(ScrapeTarget.of("extra", mesh.metricsUrl()));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> prometheus.queryValue("up{job=\"extra\"}").orElse(0) == 1);
    }
  }

  private static void round(HttpClient client) {
    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    for (int i = 0; i < 18; i++) {
      inFlight.add(send(client, "/"));
    }
    inFlight.add(send(client, "/status/500"));
    inFlight.add(send(client, "/status/500"));
    inFlight.forEach(CompletableFuture::join);
  }

  private static CompletableFuture<HttpResponse<String>> send(HttpClient client, String path) {
    return sendTo(client, "http://podinfo-canary.test:9898" + path);
  }

  static CompletableFuture<HttpResponse<String>> sendTo(HttpClient client, String url) {
    return client.sendAsync(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(HttpClient client, String path) throws Exception {
    return send(client, path).get();
  }

  /** The Service podinfo-canary of namespace test, selecting podinfo's pods. */
  static io.fabric8.kubernetes.api.model.Service podinfoCanaryService() {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName("podinfo-canary")
        .withNamespace("test")
        .endMetadata()
        .withNewSpec()
        .addToSelector("app", "podinfo")
        .endSpec()
        .build();
  }

  /** podinfo 6.0.1 in namespace test, every request taking 1.1 s. */
  static io.fabric8.kubernetes.api.model.apps.Deployment podinfo() {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("podinfo")
        .withNamespace("test")
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withNewSelector()
        .addToMatchLabels("app", "podinfo")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "podinfo")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("podinfod")
        .withImage("ghcr.io/stefanprodan/podinfo:6.0.1")
        .addNewEnv()
        .withName("LATENCY_MS")
        .withValue("1100")
        .endEnv()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
