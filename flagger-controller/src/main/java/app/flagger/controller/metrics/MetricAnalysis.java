package app.flagger.controller.metrics;

import app.flagger.controller.judge.MetricInput;
import app.flagger.model.canary.Canary;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The metric part of a tick (Flagger's {@code checkMetricProviderAvailability}, {@code
 * runBuiltinMetricChecks} and {@code runMetricChecks}). Pure with respect to the Canary: it reads
 * metrics and templates, and reports; the scheduler records events, status and metrics from what it
 * returns.
 */
public interface MetricAnalysis {
  /**
   * Step 5 of a tick: whether every metric provider the analysis needs answers. Empty when all do;
   * otherwise the text after {@code Error checking metric providers: }.
   */
  Optional<String> checkProviders(Canary canary);

  /**
   * Runs the builtin and inline checks, then the template checks, in spec order, stopping at the
   * first failure.
   */
  Result run(Canary canary);

  /**
   * The judge's samples: for every metric with a {@code comparison}, in spec order, the canary's
   * and the baseline's series over the metric's interval ending at {@code end}. Empty inputs when
   * no metric is compared; a failure (a provider without series, a query error) stops at the metric
   * that failed and names it. Analyses without a judge need not implement this.
   */
  default Comparisons compare(Canary canary, Instant end) {
    return Comparisons.NONE;
  }

  /** The judge's samples, or why they could not be read. */
  record Comparisons(List<MetricInput> inputs, Optional<String> failure) {
    public static final Comparisons NONE = new Comparisons(List.of(), Optional.empty());

    public Comparisons {
      inputs = List.copyOf(inputs);
    }
  }

  /** A metric's last value, for {@code flagger_canary_metric_analysis}. */
  record ObservedValue(String metric, double value) {}

  /**
   * What the checks found: the values read before stopping, and the first failure's Warning-event
   * text (for example {@code Halt podinfo.test advancement success rate 98.69% < 99%}).
   */
  record Result(List<ObservedValue> values, Optional<String> failure) {
    public Result {
      values = List.copyOf(values);
    }

    public boolean passed() {
      return failure.isEmpty();
    }
  }
}
