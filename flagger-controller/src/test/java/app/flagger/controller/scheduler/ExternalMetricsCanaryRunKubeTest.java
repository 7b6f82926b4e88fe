package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.StandardRun;
import app.flagger.controller.support.TemplateMetricRun;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Canary checked by an {@code externalmetrics} MetricTemplate whose {@code address} is a
 * mockwebserver playing a metrics adapter, through the controller wired as in production on the
 * mock API server: promoted on a good value, rolled back on a bad one.
 */
@EnableKubernetesMockClient(crud = true)
class ExternalMetricsCanaryRunKubeTest {
  KubernetesClient client;
  StandardRun run;
  final MockWebServer adapter = new MockWebServer();
  volatile String value = "995m";

  @BeforeEach
  void setUp() throws Exception {
    run = new StandardRun(client, "0.1");
    adapter.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            if (!"Bearer adapter-token".equals(r.getHeaders().get("Authorization"))) {
              return new MockResponse.Builder().code(403).body("forbidden").build();
            }
            return new MockResponse.Builder()
                .code(200)
                .body(
                    "{\"kind\":\"ExternalMetricValueList\",\"apiVersion\":"
                        + "\"external.metrics.k8s.io/v1beta1\",\"metadata\":{},\"items\":"
                        + "[{\"metricName\":\"podinfo-success\",\"metricLabels\":{},"
                        + "\"timestamp\":\"2026-01-01T00:00:00Z\",\"value\":\""
                        + value
                        + "\"}]}")
                .build();
          }
        });
    adapter.start();
    client
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("adapter")
                .withNamespace(CanaryFixture.NS)
                .endMetadata()
                .withStringData(Map.of("token", "adapter-token"))
                .build())
        .create();
    TemplateMetricRun.createTemplate(
        run,
        "externalmetrics",
        adapter.url("/").toString(),
        "adapter",
        "{{ namespace }}/{{ target }}-success?labelSelector=app%3D{{ target }}");
  }

  @AfterEach
  void tearDown() throws Exception {
    run.close();
    adapter.close();
  }

  @Test
  void promotesWhileTheExternalMetricIsGood() throws Exception {
    run.initializeAndRollOut(TemplateMetricRun.spec(run, 0.99));

    TemplateMetricRun.promotes(run);

    List<String> targets = new ArrayList<>();
    for (int i = adapter.getRequestCount(); i > 0; i--) {
      targets.add(adapter.takeRequest().getTarget());
    }
    String api = "/apis/external.metrics.k8s.io/v1beta1/namespaces/";
    assertThat(targets)
        .as("the availability check at initialization, then the metric")
        .startsWith(api + "kube-system/dummy-metric")
        .contains(api + "default/podinfo-success?labelSelector=app%3Dpodinfo");
  }

  @Test
  void rollsBackWhenTheExternalMetricIsTooLow() {
    run.initializeAndRollOut(TemplateMetricRun.spec(run, 0.99));
    value = "500m";

    TemplateMetricRun.rollsBack(
        run, "Halt podinfo.default advancement " + TemplateMetricRun.TEMPLATE + " 0.50 < 0.99");
  }
}
