package app.flagger.controller.observe;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.canary.CanaryPhase;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanaryMetricsRecorderTest {
  static double status(MeterRegistry r) {
    return r.meters().stream()
        .filter(m -> m.id().name().equals("flagger_canary_status"))
        .filter(m -> "podinfo".equals(m.id().tagsMap().get("name")))
        .map(m -> ((Gauge<?>) m).value().doubleValue())
        .findFirst()
        .orElseThrow();
  }

  /** A second recorder on the same registry takes the series over (Main and the controller). */
  @Test
  void aLaterRecorderTakesOverTheSeries() {
    MeterRegistry registry = MeterRegistry.create();
    new CanaryMetricsRecorder(registry).setStatus("podinfo", "ns1", CanaryPhase.FAILED);
    CanaryMetricsRecorder second = new CanaryMetricsRecorder(registry);
    second.setStatus("podinfo", "ns1", CanaryPhase.PROGRESSING);
    assertThat(status(registry)).isEqualTo(0.0);
    second.removeCanary("podinfo", "ns1");
    assertThat(
            registry.gauge(
                "flagger_canary_status",
                List.of(Tag.create("name", "podinfo"), Tag.create("namespace", "ns1"))))
        .isEmpty();
  }
}
