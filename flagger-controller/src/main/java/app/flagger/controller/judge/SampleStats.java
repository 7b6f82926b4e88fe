package app.flagger.controller.judge;

import java.util.Arrays;

/** Descriptive statistics of one side's sample after pre-processing, as Kayenta reports them. */
public record SampleStats(int count, double min, double max, double mean, double median) {

  /** No values. */
  public static final SampleStats EMPTY =
      new SampleStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  static SampleStats of(double[] values) {
    if (values.length == 0) {
      return EMPTY;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return new SampleStats(
        sorted.length,
        sorted[0],
        sorted[sorted.length - 1],
        Arrays.stream(sorted).average().orElse(Double.NaN),
        median(sorted));
  }

  /** The median of sorted values (mean of the middle two for an even count). */
  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
