package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.FakeKeptn;
import app.flagger.controller.support.StandardRun;
import app.flagger.controller.support.TemplateMetricRun;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Canary checked by a {@code keptn} MetricTemplate, through the controller wired as in production
 * on the mock API server, with a fake Keptn: promoted on a good KeptnMetric, rolled back on failing
 * Keptn Analyses.
 */
@EnableKubernetesMockClient(crud = true)
class KeptnMetricsCanaryRunKubeTest {
  KubernetesClient client;
  StandardRun run;
  FakeKeptn keptn;

  @BeforeEach
  void setUp() throws Exception {
    run = new StandardRun(client, "0.1");
    keptn = new FakeKeptn(client);
  }

  @AfterEach
  void tearDown() throws Exception {
    keptn.close();
    run.close();
  }

  @Test
  void promotesWhileTheKeptnMetricIsGood() {
    keptn.metric(CanaryFixture.NS, "podinfo-success", "99.5");
    TemplateMetricRun.createTemplate(
        run, "keptn", null, null, "keptnmetric/{{ namespace }}/{{ target }}-success");
    run.initializeAndRollOut(TemplateMetricRun.spec(run, 99));

    TemplateMetricRun.promotes(run);
  }

  @Test
  void rollsBackWhenTheKeptnAnalysisFails() {
    keptn.pass = false;
    TemplateMetricRun.createTemplate(
        run, "keptn", null, null, "analysis/{{ namespace }}/{{ target }}-slo/{{ interval }}");
    run.initializeAndRollOut(TemplateMetricRun.spec(run, 1));

    TemplateMetricRun.rollsBack(
        run, "Halt podinfo.default advancement " + TemplateMetricRun.TEMPLATE);

    assertThat(keptn.analyses)
        .allSatisfy(a -> assertThat(a.getMetadata().getName()).matches("podinfo-slo-[0-9a-f]{6}"));
    assertThat(
            client
                .genericKubernetesResources(
                    app.flagger.controller.metrics.providers.KeptnProvider.ANALYSES)
                .inNamespace(CanaryFixture.NS)
                .list()
                .getItems())
        .as("every Analysis deleted after its check")
        .isEmpty();
  }
}
