package app.flagger.controller.judge;

import app.flagger.model.canary.MetricComparison;
import java.util.Objects;

/**
 * One metric to judge: its name (as in {@code spec.analysis.metrics[].name}), its {@code
 * comparison} settings and the samples.
 */
public record MetricInput(String name, MetricComparison comparison, MetricSamples samples) {
  public MetricInput {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(samples, "samples");
    if (comparison == null) {
      comparison = new MetricComparison(null, null, null, null, null);
    }
  }
}
