package app.flagger.controller.judge;

import app.flagger.model.canary.MetricComparison;

/**
 * The judge's result for one metric.
 *
 * @param name the metric's name
 * @param verdict Kayenta's classification
 * @param critical whether the metric is critical: a critical metric that does not pass fails the
 *     whole judgement
 * @param weight the metric's weight in the score
 * @param decidedBy the rule that decided the verdict
 * @param pValue the p-value of the deciding test (two-sided Mann-Whitney, two-sided Brown-Forsythe,
 *     one-sided Fisher on the side the canary moved to); NaN when none ran
 * @param shift the canary's location shift against the baseline in the metric's units (the
 *     Hodges-Lehmann estimate with its confidence interval; for counts the difference of the event
 *     rates with Newcombe's interval)
 * @param effect the shift relative to the baseline's level (its median; for counts its event rate):
 *     +0.41 is 41 % higher; NaN parts when the baseline's level is 0
 * @param tolerance the relative change still accepted: a metric fails only when its effect is
 *     beyond {@code ±tolerance} in a bad direction
 * @param spreadRatio the canary's spread over the baseline's (mean absolute deviation from the
 *     median); NaN when the spread test does not apply
 * @param spreadPValue the Brown-Forsythe p-value; NaN when the spread test did not run
 * @param canary the canary's sample after pre-processing (for counts: count is the total, mean the
 *     event rate)
 * @param baseline the baseline's sample, likewise
 * @param message one line for people, e.g. {@code request-duration worse by +41% [+30%, +55%]}
 */
public record MetricJudgement(
    String name,
    Verdict verdict,
    boolean critical,
    double weight,
    StatTest decidedBy,
    double pValue,
    Estimate shift,
    Estimate effect,
    double tolerance,
    double spreadRatio,
    double spreadPValue,
    SampleStats canary,
    SampleStats baseline,
    String message) {

  /** True when this metric, being critical and not passing, fails the whole judgement. */
  public boolean failsRun() {
    return critical && verdict != Verdict.PASS;
  }

  /** This judgement with the spread test's ratio and p-value, which did not decide it. */
  MetricJudgement withSpread(double ratio, double p) {
    return new MetricJudgement(
        name, verdict, critical, weight, decidedBy, pValue, shift, effect, tolerance, ratio, p,
        canary, baseline, message);
  }

  /** A judgement decided by {@code test}, without the spread test's figures. */
  static MetricJudgement of(
      String name,
      MetricComparison c,
      Verdict v,
      StatTest test,
      double p,
      Estimate shift,
      Estimate effect,
      SampleStats canary,
      SampleStats baseline,
      String message) {
    return new MetricJudgement(
        name,
        v,
        c.criticalOrDefault(),
        c.weightOrDefault(),
        test,
        p,
        shift,
        effect,
        c.toleranceOrDefault(),
        Double.NaN,
        Double.NaN,
        canary,
        baseline,
        message);
  }

  /** A metric no test could judge: {@link Verdict#NO_DATA} or {@link Verdict#ERROR}. */
  static MetricJudgement unjudged(
      String name,
      MetricComparison c,
      Verdict v,
      SampleStats canary,
      SampleStats baseline,
      String reason) {
    return of(
        name,
        c,
        v,
        StatTest.NONE,
        Double.NaN,
        Estimate.NONE,
        Estimate.NONE,
        canary,
        baseline,
        name + ": " + reason);
  }
}
