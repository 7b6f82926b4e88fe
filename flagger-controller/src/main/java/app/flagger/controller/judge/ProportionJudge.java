package app.flagger.controller.judge;

import app.flagger.model.canary.ComparisonDirection;
import app.flagger.model.canary.MetricComparison;
import org.apache.commons.math3.distribution.HypergeometricDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Judges one {@code kind: proportion} metric from event counts: Fisher's exact test, one-sided in
 * each bad direction. Under the null hypothesis (same event rate) the canary's event count among
 * all events is hypergeometric; {@link Verdict#HIGH} when higher is bad, {@code P(X >= canary
 * events)} is below {@code (1 - confidence) / 2} and the canary's rate is more than {@code
 * tolerance} above the baseline's (any rate above a baseline rate of 0); {@link Verdict#LOW}
 * likewise downwards. The tolerance applies to the rarer outcome: when the events are the common
 * one (successes), to the relative change of their complement, so 99.0 % against 99.9 % successes
 * is ten times the failures, not a 0.9 % drop. The reported interval of the rate difference is
 * Newcombe's hybrid score interval (his method 10) at the judge's confidence.
 */
final class ProportionJudge {
  private ProportionJudge() {}

  static MetricJudgement judge(
      String name, MetricComparison c, MetricSamples.Counts n, JudgeSettings settings) {
    long ec = n.canaryEvents();
    long nc = n.canaryTotal();
    long eb = n.baselineEvents();
    long nb = n.baselineTotal();
    if (ec < 0 || eb < 0 || ec > nc || eb > nb || nc + nb > Integer.MAX_VALUE) {
      return MetricJudgement.unjudged(
          name,
          c,
          Verdict.ERROR,
          counts(nc, Double.NaN),
          counts(nb, Double.NaN),
          "cannot judge counts " + ec + "/" + nc + " and " + eb + "/" + nb);
    }
    if (nc == 0 || nb == 0) {
      return MetricJudgement.unjudged(
          name,
          c,
          Verdict.NO_DATA,
          counts(nc, Double.NaN),
          counts(nb, Double.NaN),
          nc == 0 ? "no canary data" : "no baseline data");
    }
    double pc = (double) ec / nc;
    double pb = (double) eb / nb;
    double[] fisher = fisher(ec, nc, eb, nb);
    double upper = fisher[0];
    double lower = fisher[1];
    Estimate shift = newcombe(ec, nc, eb, nb, settings.confidence());
    Estimate effect = shift.dividedBy(pb);
    double tol = c.toleranceOrDefault();
    ComparisonDirection dir = c.directionOrDefault();
    String figures =
        ec + "/" + nc + " (" + rate(pc) + ") against " + eb + "/" + nb + " (" + rate(pb) + ")";
    boolean up = pc > pb;
    double p = up ? upper : lower;
    // The tolerance applies to the rarer outcome: for a success rate of 99.9 % that is the failures
    boolean common = 2 * (ec + eb) > nc + nb;
    double rc = common ? 1 - pc : pc;
    double rb = common ? 1 - pb : pb;
    boolean rareUp = rb == 0 ? rc > 0 : rc / rb - 1 > tol;
    boolean rareDown = rb > 0 && 1 - rc / rb > tol;
    boolean relevantUp = common ? rareDown : rareUp;
    boolean relevantDown = common ? rareUp : rareDown;
    Verdict v = Verdict.PASS;
    if (dir.higherIsBad() && up && upper < settings.sideAlpha() && relevantUp) {
      v = Verdict.HIGH;
    } else if (dir.lowerIsBad() && !up && lower < settings.sideAlpha() && relevantDown) {
      v = Verdict.LOW;
    }
    String change = effect.known() ? Format.percent(effect.value()) + " " : "";
    String msg =
        v == Verdict.PASS
            ? name + " passes: " + change + figures + ", Fisher p " + Format.p(p)
            : name + " worse by " + change + figures + ", Fisher p " + Format.p(p);
    return MetricJudgement.of(
        name, c, v, StatTest.FISHER_EXACT, p, shift, effect, counts(nc, pc), counts(nb, pb), msg);
  }

  /**
   * Fisher's exact test, both one-sided p-values: {@code P(X >= ec)} and {@code P(X <= ec)} for the
   * canary's event count X when canary and baseline share one event rate (hypergeometric).
   */
  static double[] fisher(long ec, long nc, long eb, long nb) {
    HypergeometricDistribution h =
        new HypergeometricDistribution(null, (int) (nc + nb), (int) (ec + eb), (int) nc);
    return new double[] {h.upperCumulativeProbability((int) ec), h.cumulativeProbability((int) ec)};
  }

  private static String rate(double r) {
    return String.format(java.util.Locale.ROOT, "%.2f%%", r * 100);
  }

  /** Newcombe's hybrid score interval for {@code ec/nc - eb/nb}, from two Wilson intervals. */
  static Estimate newcombe(long ec, long nc, long eb, long nb, double confidence) {
    double z =
        new NormalDistribution(null, 0, 1).inverseCumulativeProbability(1 - (1 - confidence) / 2);
    double p1 = (double) ec / nc;
    double p2 = (double) eb / nb;
    double[] w1 = wilson(p1, nc, z);
    double[] w2 = wilson(p2, nb, z);
    double d = p1 - p2;
    double low = d - Math.sqrt(sq(p1 - w1[0]) + sq(w2[1] - p2));
    double high = d + Math.sqrt(sq(w1[1] - p1) + sq(p2 - w2[0]));
    return new Estimate(d, low, high);
  }

  /** The Wilson score interval of a proportion. */
  static double[] wilson(double p, long n, double z) {
    double z2 = z * z;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2.0 * n)) / denominator;
    double half = z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    return new double[] {centre - half, centre + half};
  }

  private static double sq(double v) {
    return v * v;
  }

  private static SampleStats counts(long total, double rate) {
    return new SampleStats(
        (int) Math.min(total, Integer.MAX_VALUE), Double.NaN, Double.NaN, rate, Double.NaN);
  }
}
