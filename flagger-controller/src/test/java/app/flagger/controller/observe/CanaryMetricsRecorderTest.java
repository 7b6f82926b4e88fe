package app.flagger.controller.observe;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.canary.CanaryPhase;
import io.helidon.metrics.api.MeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanaryMetricsRecorderTest {
  /** A second recorder on the same registry takes the series over (Main and the controller). */
  @Test
  void aLaterRecorderTakesOverTheSeries() {
    MeterRegistry registry = MeterRegistry.create();
    new CanaryMetricsRecorder(registry).setStatus("podinfo", "ns1", CanaryPhase.FAILED);
    CanaryMetricsRecorder second = new CanaryMetricsRecorder(registry);
    second.setStatus("podinfo", "ns1", CanaryPhase.PROGRESSING);
    Map<String, String> labels = Map.of("name", "podinfo", "namespace", "ns1");
    assertThat(second.series()).isSameAs(CanarySeries.shared());
    assertThat(second.series().value("flagger_canary_status", labels)).isEqualTo(0.0);
    second.removeCanary("podinfo", "ns1");
    assertThat(second.series().value("flagger_canary_status", labels)).isNaN();
  }

  /** The per-Canary families are no longer Micrometer meters: a scrape of them costs nothing. */
  @Test
  void perCanaryFamiliesAreNotMicrometerMeters() {
    MeterRegistry registry = MeterRegistry.create();
    CanaryMetricsRecorder recorder = new CanaryMetricsRecorder(registry, CanarySeries.isolated());
    recorder.setStatus("podinfo", "ns2", CanaryPhase.PROGRESSING);
    recorder.setDuration("podinfo", "ns2", java.time.Duration.ofMillis(3));
    assertThat(registry.meters())
        .noneMatch(m -> m.id().name().startsWith("flagger_canary_status"))
        .noneMatch(m -> m.id().name().startsWith("flagger_canary_duration"));
  }
}
