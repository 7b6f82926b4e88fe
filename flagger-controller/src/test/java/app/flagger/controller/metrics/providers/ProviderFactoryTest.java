package app.flagger.controller.metrics.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.support.TestFactories;
import app.flagger.model.metric.MetricProviderType;
import app.flagger.model.metric.MetricTemplateProvider;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderFactoryTest {
  private final ProviderFactory factory = TestFactories.providers();

  @Test
  void unknownTypeFallsBackToPrometheus() throws Exception {
    var spec = new MetricTemplateProvider("victoria", "http://vm:8428", null, null, null, null);
    assertThat(((MeteredProvider) factory.provider(spec, Map.of(), null)).delegate())
        .isInstanceOf(PrometheusProvider.class);
  }

  @Test
  void knownTypesWithoutAClassAreConstructionErrors() {
    for (MetricProviderType type : MetricProviderType.values()) {
      if (!type.implemented()) {
        var spec = new MetricTemplateProvider(type.value(), null, null, null, null, null);
        assertThatThrownBy(() -> factory.provider(spec, Map.of(), null))
            .hasMessage(
                "metrics provider type " + type.value() + " is not supported by this version");
      }
    }
  }

  @Test
  void timeoutIsFiveSecondsButNeverAboveTheBound() {
    assertThat(factory.timeout(null)).isEqualTo(Duration.ofSeconds(5));
    assertThat(factory.timeout(Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(5));
    assertThat(factory.timeout(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void theClusterProvidersGiveNoSeriesSoAComparisonWithThemIsRefused() {
    MetricsProvider keptn = new KeptnProvider(null, new java.util.Random(1), Duration.ofSeconds(1));
    MetricsProvider external =
        new ExternalMetricsProvider(
            null, "https://kubernetes.default", null, false, Duration.ofSeconds(1), 1024);

    assertThat(keptn.supportsRangeQueries()).isFalse();
    assertThat(external.supportsRangeQueries()).isFalse();
    RangeWindow window =
        RangeWindow.ending(java.time.Instant.EPOCH.plusSeconds(60), Duration.ofMinutes(1));
    assertThatThrownBy(() -> keptn.runRangeQuery("q", window))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
