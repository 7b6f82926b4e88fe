package app.flagger.controller.metrics.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.support.FakeKeptn;
import app.flagger.controller.support.MockApiServer;
import app.flagger.controller.support.TestFactories;
import app.flagger.model.metric.MetricTemplateProvider;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The keptn provider against the mock API server (CRUD mode, Keptn's CRDs registered) with a fake
 * Keptn completing Analyses; cases and messages from Flagger's keptn_test.go.
 */
class KeptnProviderKubeTest {
  private final MockApiServer server = MockApiServer.start();
  private final KubernetesClient client =
      new KubernetesClientBuilder().withConfig(server.config(0)).build();
  private final FakeKeptn keptn = new FakeKeptn(client);

  @AfterEach
  void tearDown() {
    keptn.close();
    client.close();
    server.close();
  }

  private KeptnProvider provider(Duration wait) {
    return new KeptnProvider(client, new Random(42), wait);
  }

  @Test
  void readsTheValueOfAKeptnMetric() throws Exception {
    keptn.metric("default", "my-metric", "10.0");

    assertThat(provider(Duration.ofSeconds(10)).runQuery("keptnmetric/default/my-metric"))
        .isEqualTo(10.0);
    // upper case and the plural are accepted, as in Flagger
    assertThat(provider(Duration.ofSeconds(10)).runQuery("KeptnMetrics/Default/My-Metric\n"))
        .isEqualTo(10.0);
  }

  @Test
  void aMissingKeptnMetricFailsNamingIt() {
    assertThatThrownBy(() -> provider(Duration.ofSeconds(10)).runQuery("keptnmetric/default/gone"))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessageContaining("could not retrieve KeptnMetric default/gone");
  }

  @Test
  void aKeptnMetricWithoutAValueOrANumberFails() {
    keptn.metric("default", "nan-metric", "not-a-number");

    assertThatThrownBy(
            () -> provider(Duration.ofSeconds(10)).runQuery("keptnmetric/default/nan-metric"))
        .hasMessageContaining("could not parse value of KeptnMetric default/nan-metric to float");
  }

  @Test
  void anAnalysisThatPassesIsOneAndIsDeletedAfterwards() throws Exception {
    double value =
        provider(Duration.ofSeconds(10))
            .runQuery("analysis/default/my-analysis/5m/foo=bar;bar=foo;broken");

    assertThat(value).isEqualTo(1.0);
    assertThat(keptn.analyses).hasSize(1);
    GenericKubernetesResource created = keptn.analyses.get(0);
    assertThat(created.getMetadata().getName()).matches("my-analysis-[0-9a-f]{6}");
    assertThat(created.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(created.getAdditionalProperties().get("spec"))
        .isEqualTo(
            Map.of(
                "analysisDefinition", Map.of("name", "my-analysis"),
                "timeframe", Map.of("recent", "5m"),
                "args", Map.of("foo", "bar", "bar", "foo")));
    assertThat(
            client
                .genericKubernetesResources(KeptnProvider.ANALYSES)
                .inNamespace("default")
                .list()
                .getItems())
        .isEmpty();
  }

  @Test
  void anAnalysisThatFailsIsZeroWithTheDefaultTimeframe() throws Exception {
    keptn.pass = false;

    assertThat(provider(Duration.ofSeconds(10)).runQuery("analysis/default/my-analysis"))
        .isEqualTo(0.0);
    assertThat(keptn.analyses.get(0).getAdditionalProperties().get("spec"))
        .isEqualTo(
            Map.of(
                "analysisDefinition", Map.of("name", "my-analysis"),
                "timeframe", Map.of("recent", "1m"),
                "args", Map.of()));
  }

  @Test
  void anAnalysisNotCompletedWithinTheWaitFailsAndIsDeleted() {
    keptn.complete = false;

    assertThatThrownBy(
            () -> provider(Duration.ofMillis(300)).runQuery("analysis/default/my-analysis"))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessageContaining(
            "encountered timeout while waiting for Keptn Analysis default/my-analysis to be"
                + " finished");
    assertThat(
            client
                .genericKubernetesResources(KeptnProvider.ANALYSES)
                .inNamespace("default")
                .list()
                .getItems())
        .isEmpty();
  }

  @Test
  void aForbiddenAnalysisCreationFailsNamingTheAnalysis() {
    server.api().fail("POST", "/apis/metrics.keptn.sh/v1beta1/namespaces/default/analyses", 403, 1);

    assertThatThrownBy(
            () -> provider(Duration.ofSeconds(10)).runQuery("analysis/default/my-analysis"))
        .isInstanceOf(MetricsProviderException.class)
        .hasMessageContaining("could not create Keptn Analysis default/my-analysis")
        .hasMessageContaining("403");
  }

  @Test
  void malformedQueriesNameTheExpectedForm() {
    KeptnProvider provider = provider(Duration.ofSeconds(10));

    assertThatThrownBy(() -> provider.runQuery("keptnmetric/default"))
        .hasMessageContaining(
            "query must be in the format"
                + " <keptnmetric|analysis>/<namespace>/<resourceName>/<duration>/<arguments>");
    assertThatThrownBy(() -> provider.runQuery("pod/default/name"))
        .hasMessageContaining("must be one of: ['keptnmetric', 'analysis']");
    assertThatThrownBy(() -> provider.runQuery("keptnmetric//name"))
        .hasMessageContaining("empty namespace or name");
  }

  @Test
  void keptnIsAlwaysOnline() {
    assertThat(provider(Duration.ofSeconds(10)).isOnline()).isTrue();
  }

  @Test
  void theFactoryBuildsAMeteredKeptnProviderOnlyWithAClient() throws Exception {
    ProviderFactory withClient =
        new ProviderFactory(
            Duration.ofSeconds(5), TestFactories.metrics(), 1 << 20, client, new Random(1));
    MetricTemplateProvider spec = new MetricTemplateProvider("keptn", null, null, null, null, null);

    assertThat(withClient.provider(spec, Map.of(), Duration.ofSeconds(10)))
        .isInstanceOf(MeteredProvider.class)
        .extracting(p -> ((MeteredProvider) p).delegate())
        .isInstanceOf(KeptnProvider.class);
    assertThatThrownBy(() -> TestFactories.providers().provider(spec, Map.of(), null))
        .hasMessageContaining("could not initialize keptn provider: no Kubernetes client");
  }
}
