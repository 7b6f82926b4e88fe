package app.flagger.sandbox.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.flagger.controller.metrics.observers.Observer;
import app.flagger.controller.metrics.observers.ObserverFactory;
import app.flagger.controller.metrics.providers.MetricsProvider;
import app.flagger.controller.metrics.providers.PrometheusProvider;
import app.flagger.controller.metrics.template.MetricTemplateModel;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.support.RepoRoot;
import app.flagger.sandbox.Sandbox;
import app.flagger.sandbox.mesh.RouteTable;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flagger's builtin queries for a Canary on {@code gatewayapi:v1} and on {@code linkerd}, rendered
 * and run by the controller's observer code against the real Prometheus scraping the sandbox (mesh
 * and pods), give the success rate and latency of traffic sent through an HTTPRoute and a
 * TrafficSplit. Every request takes {@code LATENCY_MS=1100}; one in ten answers 500.
 */
class MeshProviderQueriesPrometheusTest {
  private static final Path ROOT = RepoRoot.find();

  /**
   * The canary's cluster in the MetricTemplates of Flagger's Gateway API tutorial (Contour's
   * Envoy), as a success rate.
   */
  static final String ENVOY_SUCCESS_RATE =
      """
      sum(rate(envoy_cluster_upstream_rq{envoy_cluster_name=~"test_podinfo-canary_[0-9a-zA-Z-]+",\
      envoy_response_code!~"5.*"}[1m])) / sum(rate(envoy_cluster_upstream_rq{\
      envoy_cluster_name=~"test_podinfo-canary_[0-9a-zA-Z-]+"}[1m])) * 100""";

  @TempDir Path tmp;

  @Test
  void builtinQueriesOfGatewayApiAndLinkerdCanariesSeeTheServedTraffic() throws Exception {
    assumeTrue(Files.isExecutable(SandboxPrometheus.DEBIAN_BINARY), SandboxPrometheus.INSTALL_HINT);
    try (Sandbox sandbox =
            Sandbox.start(
                new Sandbox.Options(
                    ROOT,
                    tmp,
                    SandboxPrometheus.DEBIAN_BINARY,
                    Duration.ofSeconds(2),
                    Duration.ofMillis(200),
                    5),
                Clock.systemUTC());
        HttpClient client = HttpClient.newBuilder().proxy(sandbox.mesh().proxySelector()).build()) {
      SandboxPrometheus prometheus = sandbox.prometheus().orElseThrow();
      KubernetesClient api = sandbox.api().client();
      api.resource(IstioQueriesPrometheusTest.podinfo()).create();
      api.resource(IstioQueriesPrometheusTest.podinfoCanaryService()).create();
      // the gateway's route for app.example.com and the split of podinfo, both to the canary
      create(
          api,
          RouteTable.HTTP_ROUTE,
          "podinfo",
          Map.of(
              "parentRefs",
              List.of(Map.of("name", "public", "namespace", "gateway-system")),
              "hostnames",
              List.of("app.example.com"),
              "rules",
              List.of(
                  Map.of(
                      "backendRefs",
                      List.of(Map.of("name", "podinfo-canary", "port", 9898, "weight", 100))))));
      create(
          api,
          RouteTable.trafficSplits("v1alpha1"),
          "podinfo",
          Map.of(
              "service",
              "podinfo",
              "backends",
              List.of(Map.of("service", "podinfo-canary", "weight", "100"))));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  send(client, "http://app.example.com/readyz").join().statusCode() == 200
                      && send(client, "http://podinfo.test:9898/readyz").join().statusCode()
                          == 200);

      // a known mix, 18 answered 200 for each 2 answered 500, half through the HTTPRoute and half
      // through the TrafficSplit; what is served before Prometheus first sees the series warms the
      // JVMs up and is not in rate()
      for (int i = 0; i < 2; i++) {
        round(client);
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  prometheus
                              .queryValue(
                                  "count(response_total{deployment=\"podinfo\",namespace=\"test\"})")
                              .orElse(0)
                          == 2
                      && prometheus
                              .queryValue(
                                  "count(envoy_cluster_upstream_rq{"
                                      + "envoy_cluster_name=\"test_podinfo-canary_9898\"})")
                              .orElse(0)
                          == 2);
      for (int i = 0; i < 5; i++) {
        round(client);
      }

      MetricsProvider provider =
          new PrometheusProvider(
              URI.create(prometheus.url()),
              PrometheusProvider.Credentials.NONE,
              Map.of(),
              false,
              Duration.ofSeconds(5),
              1 << 20);
      Builtin linkerd = builtin("canary-linkerd.yaml");
      Builtin gateway = builtin("canary-gatewayapi.yaml");
      assertThat(linkerd.observer().name()).isEqualTo("linkerd");
      assertThat(gateway.observer().name()).isEqualTo("http");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                // Linkerd: the proxies of the answering pods saw exactly the mix
                assertThat(linkerd.successRate(provider)).isCloseTo(90.0, within(1.0));
                assertThat(linkerd.durationMillis(provider)).isBetween(1000L, 2000L);
                // Gateway API: podinfo's own histogram, which counts the kubelet's probes too
                assertThat(gateway.successRate(provider)).isGreaterThan(89.0).isLessThan(99.0);
                assertThat(gateway.durationMillis(provider)).isBetween(1000L, 2500L);
                // and the gateway's Envoy statistics of the canary's cluster
                assertThat(prometheus.queryValue(ENVOY_SUCCESS_RATE))
                    .hasValueCloseTo(90.0, within(1.0));
              });
    }
  }

  /** A Canary example's builtin checks as the controller renders them. */
  private record Builtin(Observer observer, Canary canary) {
    double successRate(MetricsProvider provider) throws Exception {
      return observer.requestSuccessRate(provider, model(CanaryMetric.REQUEST_SUCCESS_RATE));
    }

    long durationMillis(MetricsProvider provider) throws Exception {
      return observer.requestDurationNanos(provider, model(CanaryMetric.REQUEST_DURATION))
          / 1_000_000;
    }

    private MetricTemplateModel model(String name) {
      CanaryMetric metric =
          canary.getSpec().analysis().metrics().stream()
              .filter(m -> m.name().equals(name))
              .findFirst()
              .orElseThrow();
      return MetricTemplateModel.of(canary, metric, null);
    }
  }

  private Builtin builtin(String example) throws Exception {
    Canary canary =
        new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
            .unmarshal(
                Files.readString(ROOT.resolve("k8s/examples").resolve(example)), Canary.class);
    // the sandbox's controller runs with the istio mesh provider, as the demo's does
    return new Builtin(
        ObserverFactory.observer(ObserverFactory.metricsProviderKey("istio", canary)), canary);
  }

  private static void create(
      KubernetesClient api, ResourceDefinitionContext kind, String name, Map<String, Object> spec) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(kind.getGroup() + "/" + kind.getVersion());
    r.setKind(kind.getKind());
    r.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(name)
            .withNamespace("test")
            .build());
    r.setAdditionalProperty("spec", spec);
    api.genericKubernetesResources(kind).inNamespace("test").resource(r).create();
  }

  private static void round(HttpClient client) {
    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    for (String host : List.of("http://app.example.com", "http://podinfo.test:9898")) {
      for (int i = 0; i < 9; i++) {
        inFlight.add(send(client, host + "/"));
      }
      inFlight.add(send(client, host + "/status/500"));
    }
    inFlight.forEach(CompletableFuture::join);
  }

  private static CompletableFuture<HttpResponse<String>> send(HttpClient client, String url) {
    return IstioQueriesPrometheusTest.sendTo(client, url);
  }
}
