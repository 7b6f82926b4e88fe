package app.flagger.controller.metrics;

import app.flagger.controller.metrics.template.GoFormat;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.ThresholdRange;
import java.util.Optional;

/**
 * Compares a metric value with its {@code thresholdRange} (or deprecated {@code threshold}) and
 * words the failure exactly as Flagger's Warning events do. A metric with a {@code comparison} and
 * neither setting is judged against the baseline only: Flagger's default threshold of 0 would fail
 * every duration and every positive value of a template.
 */
final class ThresholdMessages {
  private ThresholdMessages() {}

  /** {@code request-success-rate}: below min, above max, or below the deprecated threshold. */
  static Optional<String> successRate(String key, CanaryMetric metric, double value) {
    if (comparedOnly(metric)) {
      return Optional.empty();
    }
    String prefix = "Halt " + key + " advancement success rate " + GoFormat.fixed(value, 2) + "% ";
    ThresholdRange range = metric.thresholdRange();
    if (range != null) {
      if (range.min() != null && value < range.min()) {
        return Optional.of(prefix + "< " + GoFormat.v(range.min()) + "%");
      }
      if (range.max() != null && value > range.max()) {
        return Optional.of(prefix + "> " + GoFormat.v(range.max()) + "%");
      }
      return Optional.empty();
    }
    double threshold = threshold(metric);
    return threshold > value
        ? Optional.of(prefix + "< " + GoFormat.v(threshold) + "%")
        : Optional.empty();
  }

  /** {@code request-duration}: thresholds are whole milliseconds, printed as Go durations. */
  static Optional<String> duration(String key, CanaryMetric metric, long nanos) {
    if (comparedOnly(metric)) {
      return Optional.empty();
    }
    String prefix = "Halt " + key + " advancement request duration " + GoFormat.duration(nanos);
    ThresholdRange range = metric.thresholdRange();
    if (range != null) {
      if (range.min() != null && nanos < millis(range.min())) {
        return Optional.of(prefix + " < " + GoFormat.duration(millis(range.min())));
      }
      if (range.max() != null && nanos > millis(range.max())) {
        return Optional.of(prefix + " > " + GoFormat.duration(millis(range.max())));
      }
      return Optional.empty();
    }
    long limit = millis(threshold(metric));
    return nanos > limit
        ? Optional.of(prefix + " > " + GoFormat.duration(limit))
        : Optional.empty();
  }

  /** Inline and template queries: {@code Halt <key> advancement <metric> 1.23 > 1}. */
  static Optional<String> query(String key, CanaryMetric metric, double value) {
    if (comparedOnly(metric)) {
      return Optional.empty();
    }
    String prefix =
        "Halt " + key + " advancement " + metric.name() + " " + GoFormat.fixed(value, 2) + " ";
    ThresholdRange range = metric.thresholdRange();
    if (range != null) {
      if (range.min() != null && value < range.min()) {
        return Optional.of(prefix + "< " + GoFormat.v(range.min()));
      }
      if (range.max() != null && value > range.max()) {
        return Optional.of(prefix + "> " + GoFormat.v(range.max()));
      }
      return Optional.empty();
    }
    double threshold = threshold(metric);
    return value > threshold
        ? Optional.of(prefix + "> " + GoFormat.v(threshold))
        : Optional.empty();
  }

  /** A metric with a comparison and no threshold of its own. */
  static boolean comparedOnly(CanaryMetric metric) {
    return metric.compared() && metric.thresholdRange() == null && metric.threshold() == null;
  }

  private static double threshold(CanaryMetric metric) {
    return metric.threshold() == null ? 0 : metric.threshold();
  }

  /** Go's {@code time.Duration(f) * time.Millisecond}: the float truncated to whole ms. */
  private static long millis(double ms) {
    return ((long) ms) * 1_000_000L;
  }
}
