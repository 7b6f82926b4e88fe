package app.flagger.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.TestFactories;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.ThresholdRange;
import app.flagger.model.common.NamedReference;
import app.flagger.model.common.SecretReference;
import app.flagger.model.metric.MetricTemplate;
import app.flagger.model.metric.MetricTemplateProvider;
import app.flagger.model.metric.MetricTemplateSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** A template check end to end: MetricTemplate and Secret from the API, Prometheus over HTTP. */
@EnableKubernetesMockClient(crud = true)
class MetricTemplateKubeTest {
  KubernetesClient client;

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void runsATemplateWithCredentialsFromItsSecret() throws Exception {
    try (MockWebServer prometheus = new MockWebServer()) {
      prometheus.start();
      prometheus.enqueue(
          new MockResponse.Builder()
              .body(
                  "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"2.5\"]}]}}")
              .build());
      client
          .secrets()
          .inNamespace("istio-system")
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("prom-auth")
                  .withNamespace("istio-system")
                  .endMetadata()
                  .withData(
                      Map.of(
                          "address", b64(prometheus.url("/").toString()),
                          "username", b64("flagger"),
                          "password", b64("s3cr3t")))
                  .build())
          .create();
      MetricTemplate template = new MetricTemplate();
      template.setMetadata(
          new ObjectMetaBuilder().withName("errors").withNamespace("istio-system").build());
      template.setSpec(
          new MetricTemplateSpec(
              new MetricTemplateProvider(
                  "prometheus", null, null, new SecretReference("prom-auth"), null, null),
              "sum(errors{ns=\"{{ namespace }}\",app=\"{{ target }}\"})"));
      client.resources(MetricTemplate.class).resource(template).create();

      CanaryMetric metric =
          new CanaryMetric(
              "errors",
              "1m",
              null,
              new ThresholdRange(null, 1.0),
              null,
              new NamedReference("errors", "istio-system"),
              null);
      Canary canary = FakeMetrics.canary(null, metric);
      MetricChecks checks =
          new MetricChecks(
              "istio",
              "http://unused:9090",
              TestFactories.providers(),
              new KubernetesMetricsLookup(client));

      MetricAnalysis.Result result = checks.run(canary);

      assertThat(result.failure()).contains("Halt podinfo.test advancement errors 2.50 > 1");
      assertThat(result.values()).containsExactly(new MetricAnalysis.ObservedValue("errors", 2.5));
      RecordedRequest request = prometheus.takeRequest(5, TimeUnit.SECONDS);
      assertThat(request.getUrl().queryParameter("query"))
          .isEqualTo("sum(errors{ns=\"test\",app=\"podinfo\"})");
      assertThat(request.getHeaders().get("Authorization"))
          .isEqualTo("Basic " + b64("flagger:s3cr3t"));
    }
  }

  @Test
  void missingTemplateAndSecretAreNamed() {
    CanaryMetric metric =
        new CanaryMetric("errors", "1m", 1.0, null, null, new NamedReference("nope", null), null);
    MetricChecks checks =
        new MetricChecks(
            "istio", "", TestFactories.providers(), new KubernetesMetricsLookup(client));
    assertThat(checks.run(FakeMetrics.canary(null, metric)).failure())
        .contains(
            "Metric template nope.test error: metrictemplates.flagger.app \"nope\" not found");
  }
}
