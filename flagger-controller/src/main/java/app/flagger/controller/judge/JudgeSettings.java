package app.flagger.controller.judge;

import app.flagger.model.canary.AnalysisJudge;

/**
 * The judge's settings for a whole judgement.
 *
 * @param confidence confidence level of the intervals (Kayenta's 0.98); every one-sided decision is
 *     taken at (1 - confidence) / 2 on the bad side, 1 % by default
 * @param pass score at or above which the judgement passes (95)
 * @param marginal score at or above which it is marginal (75)
 * @param minSamples fewer values than this on either side (after NaNs and outliers are dropped) is
 *     no data rather than a pass (5; Kayenta has no such guard)
 * @param nanStrategy drop NaN values (Kayenta's default) or read them as 0
 * @param removeOutliers drop outliers with Kayenta's IQR detector before testing (off, as Kayenta)
 * @param outlierFactor the IQR detector's factor (3.0)
 */
public record JudgeSettings(
    double confidence,
    double pass,
    double marginal,
    int minSamples,
    NanStrategy nanStrategy,
    boolean removeOutliers,
    double outlierFactor) {

  /** Kayenta's confidence level for the Mann-Whitney interval. */
  public static final double DEFAULT_CONFIDENCE = 0.98;

  /** The fewest values per side the judge tests. */
  public static final int DEFAULT_MIN_SAMPLES = 5;

  /** Kayenta's IQR outlier factor. */
  public static final double DEFAULT_OUTLIER_FACTOR = 3.0;

  /** What NaN values become. */
  public enum NanStrategy {
    /** Dropped. */
    REMOVE,
    /** Read as 0. */
    REPLACE
  }

  public JudgeSettings {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
    }
    if (marginal > pass) {
      throw new IllegalArgumentException("marginal " + marginal + " above pass " + pass);
    }
    if (minSamples < 1) {
      throw new IllegalArgumentException("minSamples must be at least 1, got " + minSamples);
    }
    if (nanStrategy == null) {
      nanStrategy = NanStrategy.REMOVE;
    }
  }

  /** The defaults with the Canary's {@code analysis.judge} thresholds. */
  public static JudgeSettings of(AnalysisJudge judge) {
    AnalysisJudge j = judge == null ? AnalysisJudge.DEFAULTS : judge;
    return new JudgeSettings(
        DEFAULT_CONFIDENCE,
        j.passOrDefault(),
        j.marginalOrDefault(),
        DEFAULT_MIN_SAMPLES,
        NanStrategy.REMOVE,
        false,
        DEFAULT_OUTLIER_FACTOR);
  }

  /** Every default: confidence 0.98, pass 95, marginal 75, at least 5 samples. */
  public static JudgeSettings defaults() {
    return of(null);
  }

  /** The significance level of a one-sided decision on the bad side: (1 - confidence) / 2. */
  public double sideAlpha() {
    return (1 - confidence) / 2;
  }

  /** These settings with another confidence level. */
  public JudgeSettings withConfidence(double c) {
    return new JudgeSettings(
        c, pass, marginal, minSamples, nanStrategy, removeOutliers, outlierFactor);
  }

  /** These settings with another sample minimum. */
  public JudgeSettings withMinSamples(int n) {
    return new JudgeSettings(
        confidence, pass, marginal, n, nanStrategy, removeOutliers, outlierFactor);
  }

  /** These settings with another NaN strategy and outlier removal on or off. */
  public JudgeSettings withPreprocessing(NanStrategy nan, boolean outliers) {
    return new JudgeSettings(confidence, pass, marginal, minSamples, nan, outliers, outlierFactor);
  }
}
