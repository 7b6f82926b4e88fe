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
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
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
 * Flagger's builtin queries for a Canary on {@code gatewayapi:v1}, on {@code linkerd} and on {@code
 * nginx}, rendered and run by the controller's observer code against the real Prometheus scraping
 * the sandbox (mesh and pods), give the success rate and latency of traffic sent through an
 * HTTPRoute, a TrafficSplit and a canary Ingress. Every request takes {@code LATENCY_MS=1100}; one
 * in ten answers 500.
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
  void builtinQueriesOfGatewayApiLinkerdAndNginxCanariesSeeTheServedTraffic() throws Exception {
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
      // the Ingress podinfo of www.example.com and its canary copy, all of it to the canary, as
      // Flagger's nginx router writes them at weight 100
      api.resource(ingress("podinfo", "podinfo", Map.of())).create();
      api.resource(
              ingress(
                  "podinfo-canary",
                  "podinfo-canary",
                  Map.of(
                      "nginx.ingress.kubernetes.io/canary",
                      "true",
                      "nginx.ingress.kubernetes.io/canary-weight",
                      "100")))
          .create();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  send(client, "http://www.example.com/readyz").join().statusCode() == 200
                      && send(client, "http://app.example.com/readyz").join().statusCode() == 200
                      && send(client, "http://podinfo.test:9898/readyz").join().statusCode()
                          == 200);

      // a known mix, 27 answered 200 for each 3 answered 500, a third each through the HTTPRoute,
      // the TrafficSplit and the canary Ingress; what is served before Prometheus first sees the
      // series warms the
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
                          == 2
                      && prometheus
                              .queryValue(
                                  "count(nginx_ingress_controller_requests{ingress=\"podinfo\","
                                      + "canary=\"test-podinfo-canary-9898\"})")
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
      Builtin nginx = builtin("canary-nginx.yaml");
      assertThat(nginx.observer().name()).isEqualTo("nginx");
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
                // NGINX: the ingress controller's requests the canary's upstream served
                assertThat(nginx.successRate(provider)).isCloseTo(90.0, within(1.0));
                assertThat(nginx.durationMillis(provider)).isBetween(1000L, 2000L);
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
    String text = Files.readString(ROOT.resolve("k8s/examples").resolve(example));
    // the nginx example holds the Ingress first, then the Canary
    String canaryDoc =
        java.util.Arrays.stream(text.split("(?m)^---\\s*$"))
            .filter(d -> d.contains("kind: Canary"))
            .findFirst()
            .orElseThrow();
    Canary canary =
        new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
            .unmarshal(canaryDoc, Canary.class);
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

  /** An Ingress of www.example.com, path / (Prefix), to {@code service}:9898. */
  private static Ingress ingress(String name, String service, Map<String, String> annotations) {
    return new IngressBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("test")
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .addNewRule()
        .withHost("www.example.com")
        .withNewHttp()
        .addNewPath()
        .withPath("/")
        .withPathType("Prefix")
        .withNewBackend()
        .withNewService()
        .withName(service)
        .withNewPort()
        .withNumber(9898)
        .endPort()
        .endService()
        .endBackend()
        .endPath()
        .endHttp()
        .endRule()
        .endSpec()
        .build();
  }

  private static void round(HttpClient client) {
    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    for (String host :
        List.of("http://app.example.com", "http://podinfo.test:9898", "http://www.example.com")) {
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
