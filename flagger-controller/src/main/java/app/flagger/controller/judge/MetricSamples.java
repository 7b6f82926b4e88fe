package app.flagger.controller.judge;

/** What was measured for one metric on the canary and on the baseline. */
public sealed interface MetricSamples {

  /**
   * One value per step of the window (a range query), for {@code kind: continuous}. NaN values are
   * allowed: {@link JudgeSettings#nanStrategy()} drops them or reads them as 0.
   */
  record Series(double[] canary, double[] baseline) implements MetricSamples {
    public Series {
      canary = canary == null ? new double[0] : canary.clone();
      baseline = baseline == null ? new double[0] : baseline.clone();
    }

    @Override
    public double[] canary() {
      return canary.clone();
    }

    @Override
    public double[] baseline() {
      return baseline.clone();
    }
  }

  /**
   * Event counts over the window, for {@code kind: proportion}: e.g. failed requests ({@code
   * events}) among all requests ({@code total}) of the canary and of the baseline.
   */
  record Counts(long canaryEvents, long canaryTotal, long baselineEvents, long baselineTotal)
      implements MetricSamples {}
}
