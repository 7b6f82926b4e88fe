package app.flagger.controller.judge;

import app.flagger.model.canary.ComparisonDirection;
import app.flagger.model.canary.MetricComparison;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.apache.commons.math3.stat.inference.OneWayAnova;

/**
 * Judges one {@code kind: continuous} metric from its canary and baseline series.
 *
 * <ol>
 *   <li>Pre-processing ({@link Preprocessing}); fewer than {@code minSamples} values on a side is
 *       {@link Verdict#NO_DATA}.
 *   <li>The same values on both sides, or one value everywhere: {@link Verdict#PASS}.
 *   <li>The location shift {@code canary - baseline}: its Hodges-Lehmann estimate and confidence
 *       interval ({@link LocationShift}; when each side holds one repeated value, exactly the
 *       difference of the two, where Kayenta adds random noise), the Mann-Whitney p-value from
 *       Commons Math. {@link Verdict#HIGH} when higher is bad, the interval's lower end is above
 *       {@code tolerance * |estimate|} (Kayenta's rule) and the estimate is more than {@code
 *       tolerance} of the baseline's median above it (skipped when that median is 0, as Kayenta
 *       skips its effect size for a zero mean); {@link Verdict#LOW} likewise downwards.
 *   <li>When the location passes and higher is bad ({@code increase}, {@code either}): the
 *       Brown-Forsythe test (one-way ANOVA of the absolute deviations from each side's median).
 *       {@link Verdict#HIGH} when the canary's spread is larger with p below {@code 1 -
 *       confidence}, more than {@code 1 + tolerance} times the baseline's, and larger by more than
 *       {@code tolerance} of the baseline's median (the spread matters, as the location's shift
 *       must: without it, two latency series a few milliseconds apart in spread around the same
 *       mean failed as often as the test's p-value allowed); the last condition is skipped when
 *       that median is 0.
 * </ol>
 */
final class ContinuousJudge {
  private ContinuousJudge() {}

  static MetricJudgement judge(
      String name, MetricComparison c, MetricSamples.Series s, JudgeSettings settings) {
    double[] canary = Preprocessing.apply(s.canary(), settings);
    double[] baseline = Preprocessing.apply(s.baseline(), settings);
    Result r = new Result(name, c, SampleStats.of(canary), SampleStats.of(baseline));
    int min = settings.minSamples();
    if (canary.length < min || baseline.length < min) {
      return r.noData(noDataReason(canary.length, baseline.length, min));
    }
    double[] sc = sorted(canary);
    double[] sb = sorted(baseline);
    if (Arrays.equals(sc, sb)
        || (sc[0] == sc[sc.length - 1] && sc[0] == sb[0] && sb[0] == sb[sb.length - 1])) {
      return r.identical();
    }
    Estimate shift;
    try {
      shift =
          sc[0] == sc[sc.length - 1] && sb[0] == sb[sb.length - 1]
              ? exact(sc[0] - sb[0])
              : LocationShift.of(canary, baseline, settings.confidence());
    } catch (IllegalArgumentException e) {
      return r.error("cannot judge: " + e.getMessage());
    }
    double p = new MannWhitneyUTest().mannWhitneyUTest(canary, baseline);
    double level = Math.abs(r.baseline.median());
    Estimate effect = shift.dividedBy(level);
    double tol = c.toleranceOrDefault();
    ComparisonDirection dir = c.directionOrDefault();
    double band = tol * Math.abs(shift.value());
    boolean relevantUp = !effect.known() || effect.value() > tol;
    boolean relevantDown = !effect.known() || effect.value() < -tol;
    if (dir.higherIsBad() && shift.low() > band && relevantUp) {
      return r.location(Verdict.HIGH, p, shift, effect);
    }
    if (dir.lowerIsBad() && shift.high() < -band && relevantDown) {
      return r.location(Verdict.LOW, p, shift, effect);
    }
    MetricJudgement passed = r.location(Verdict.PASS, p, shift, effect);
    return dir.higherIsBad() ? spreadTest(r, passed, canary, baseline, tol, settings) : passed;
  }

  /** Step 4: a location that passed, tested for a larger spread. */
  private static MetricJudgement spreadTest(
      Result r,
      MetricJudgement passed,
      double[] canary,
      double[] baseline,
      double tol,
      JudgeSettings settings) {
    if (canary.length < 3 || baseline.length < 3) {
      return passed;
    }
    double canarySpread = spread(canary);
    double baselineSpread = spread(baseline);
    double ratio = canarySpread / baselineSpread;
    if (Double.isNaN(ratio)) {
      return passed;
    }
    double sp = brownForsythe(canary, baseline);
    double level = Math.abs(r.baseline.median());
    boolean relevant = level == 0 || canarySpread - baselineSpread > tol * level;
    if (ratio > 1 + tol && sp < 1 - settings.confidence() && relevant) {
      return r.spread(Verdict.HIGH, passed.pValue(), passed.shift(), passed.effect(), ratio, sp);
    }
    return passed.withSpread(ratio, sp);
  }

  private static String noDataReason(int canary, int baseline, int min) {
    if (canary == 0) {
      return "no canary data";
    }
    if (baseline == 0) {
      return "no baseline data";
    }
    return canary < min
        ? canary + " canary samples, need " + min
        : baseline + " baseline samples, need " + min;
  }

  private static Estimate exact(double d) {
    return new Estimate(d, d, d);
  }

  private static double[] sorted(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s;
  }

  /** Mean absolute deviation from the median. */
  private static double spread(double[] v) {
    return Arrays.stream(deviations(v)).average().orElse(Double.NaN);
  }

  /**
   * The Brown-Forsythe test's two-sided p-value: one-way ANOVA of the absolute deviations from each
   * sample's median (SciPy's {@code levene(center='median')}).
   */
  static double brownForsythe(double[] x, double[] y) {
    return new OneWayAnova().anovaPValue(List.of(deviations(x), deviations(y)));
  }

  private static double[] deviations(double[] v) {
    double m = SampleStats.median(sorted(v));
    return Arrays.stream(v).map(d -> Math.abs(d - m)).toArray();
  }

  /** Builds the judgement's record and message. */
  private record Result(String name, MetricComparison c, SampleStats canary, SampleStats baseline) {

    MetricJudgement noData(String reason) {
      return MetricJudgement.unjudged(name, c, Verdict.NO_DATA, canary, baseline, reason);
    }

    MetricJudgement error(String reason) {
      return MetricJudgement.unjudged(name, c, Verdict.ERROR, canary, baseline, reason);
    }

    MetricJudgement identical() {
      Estimate zero = new Estimate(0, 0, 0);
      return build(
          Verdict.PASS,
          StatTest.IDENTICAL,
          1.0,
          zero,
          zero,
          name + " passes: same values as the baseline");
    }

    MetricJudgement location(Verdict v, double p, Estimate shift, Estimate effect) {
      String change =
          effect.known() ? Format.percent(effect) : Format.signed(shift) + " over a baseline of 0";
      String msg =
          v == Verdict.PASS
              ? name
                  + " passes: "
                  + change
                  + ", tolerance ±"
                  + Format.percent(c.toleranceOrDefault()).substring(1)
              : name + " worse by " + change;
      return build(v, StatTest.MANN_WHITNEY, p, shift, effect, msg);
    }

    MetricJudgement spread(
        Verdict v, double p, Estimate shift, Estimate effect, double ratio, double spreadP) {
      String msg =
          name
              + " spread "
              + Format.ratio(ratio)
              + " the baseline's at a median change of "
              + (effect.known() ? Format.percent(effect.value()) : Format.signed(shift.value()))
              + " (Brown-Forsythe p "
              + Format.p(spreadP)
              + ")";
      return new MetricJudgement(
          name,
          v,
          c.criticalOrDefault(),
          c.weightOrDefault(),
          StatTest.BROWN_FORSYTHE,
          spreadP,
          shift,
          effect,
          c.toleranceOrDefault(),
          ratio,
          spreadP,
          canary,
          baseline,
          msg);
    }

    private MetricJudgement build(
        Verdict v, StatTest test, double p, Estimate shift, Estimate effect, String msg) {
      return MetricJudgement.of(name, c, v, test, p, shift, effect, canary, baseline, msg);
    }
  }
}
