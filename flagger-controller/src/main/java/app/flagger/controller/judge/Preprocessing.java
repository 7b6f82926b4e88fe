package app.flagger.controller.judge;

import java.util.Arrays;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;

/**
 * Kayenta's per-series pre-processing, each side on its own: NaN values dropped or read as 0, then
 * (when asked) outliers dropped by the IQR detector with reduced sensitivity: fences at {@code
 * min(p1, Q1 - k*IQR)} and {@code max(p99, Q3 + k*IQR)}, percentiles as R's type 7.
 */
final class Preprocessing {
  private Preprocessing() {}

  static double[] apply(double[] values, JudgeSettings settings) {
    double[] v =
        settings.nanStrategy() == JudgeSettings.NanStrategy.REMOVE
            ? Arrays.stream(values).filter(d -> !Double.isNaN(d)).toArray()
            : Arrays.stream(values).map(d -> Double.isNaN(d) ? 0 : d).toArray();
    return settings.removeOutliers() ? withoutOutliers(v, settings.outlierFactor()) : v;
  }

  static double[] withoutOutliers(double[] v, double factor) {
    if (v.length == 0) {
      return v;
    }
    Percentile p = new Percentile().withEstimationType(EstimationType.R_7);
    p.setData(v);
    double q1 = p.evaluate(25);
    double q3 = p.evaluate(75);
    double iqr = q3 - q1;
    double low = Math.min(p.evaluate(1), q1 - factor * iqr);
    double high = Math.max(p.evaluate(99), q3 + factor * iqr);
    return Arrays.stream(v).filter(d -> d >= low && d <= high).toArray();
  }
}
