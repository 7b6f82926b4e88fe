package app.flagger.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.MetricComparison;
import app.flagger.model.canary.ThresholdRange;
import org.junit.jupiter.api.Test;

class ThresholdMessagesTest {
  private static final MetricComparison INCREASE =
      new MetricComparison("increase", null, null, null, null);

  private static CanaryMetric metric(
      String name, Double threshold, ThresholdRange range, MetricComparison comparison) {
    return new CanaryMetric(name, "1m", threshold, range, null, null, null, comparison);
  }

  @Test
  void aComparedMetricWithoutAThresholdIsLeftToTheJudge() {
    CanaryMetric duration = metric(CanaryMetric.REQUEST_DURATION, null, null, INCREASE);
    CanaryMetric fast = metric("fast-responses", null, null, INCREASE);

    assertThat(ThresholdMessages.duration("podinfo.test", duration, 250_000_000L)).isEmpty();
    assertThat(ThresholdMessages.query("podinfo.test", fast, 98.0)).isEmpty();
    assertThat(ThresholdMessages.successRate("podinfo.test", fast, 12.0)).isEmpty();
  }

  @Test
  void aComparedMetricKeepsAThresholdItSets() {
    CanaryMetric duration =
        metric(CanaryMetric.REQUEST_DURATION, null, new ThresholdRange(null, 500.0), INCREASE);
    CanaryMetric legacy = metric("fast-responses", 50.0, null, INCREASE);

    assertThat(ThresholdMessages.duration("podinfo.test", duration, 600_000_000L))
        .contains("Halt podinfo.test advancement request duration 600ms > 500ms");
    assertThat(ThresholdMessages.query("podinfo.test", legacy, 98.0))
        .contains("Halt podinfo.test advancement fast-responses 98.00 > 50");
  }

  @Test
  void aMetricWithoutComparisonOrThresholdKeepsFlaggersDefaultOfZero() {
    CanaryMetric plain = metric("errors", null, null, null);

    assertThat(ThresholdMessages.query("podinfo.test", plain, 0.5))
        .contains("Halt podinfo.test advancement errors 0.50 > 0");
  }
}
