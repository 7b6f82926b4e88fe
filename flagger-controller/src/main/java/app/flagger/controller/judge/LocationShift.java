package app.flagger.controller.judge;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The Hodges-Lehmann estimate of the location shift {@code canary - baseline} and its confidence
 * interval, by inverting the two-sided Wilcoxon rank-sum test with the normal approximation: the
 * method of R's {@code wilcox.test(conf.int = TRUE, exact = FALSE, correct = TRUE)}, which Kayenta
 * ports (kayenta-mannwhitney's MannWhitney.scala).
 *
 * <p>For a shift {@code mu}, {@code f(mu) = (dz - 0.5 sign(dz)) / sigma} where {@code dz} is the
 * canary's rank sum in the pooled ranking of {@code canary - mu} and {@code baseline}, centred, and
 * {@code sigma} its tie-corrected standard deviation. The interval's ends are the shifts where
 * {@code f} crosses {@code +q} and {@code -q}, {@code q} the normal quantile of {@code 1 -
 * alpha/2}; the estimate is where {@code dz} (without the continuity correction, as R) crosses 0.
 *
 * <p>R and Kayenta find those crossings with a root finder on a step function (R to 1e-4). {@code
 * f} only changes at the pairwise differences {@code canary[i] - baseline[j]}, so this class finds
 * them exactly by bisection over the sorted differences: an end is the difference at which {@code
 * f} jumps across the quantile, and when {@code f} is exactly 0 on a stretch (the estimate of an
 * even number of differences) the stretch's midpoint, which is the median of the pairwise
 * differences there.
 */
final class LocationShift {
  private LocationShift() {}

  /** Thrown when every pooled value is tied: the statistic has no variance. */
  static final class AllTiedException extends IllegalArgumentException {
    AllTiedException() {
      super("all observations are tied");
    }
  }

  /** The estimate and interval for the shift of {@code canary} against {@code baseline}. */
  static Estimate of(double[] canary, double[] baseline, double confidence) {
    double q =
        new NormalDistribution(null, 0, 1).inverseCumulativeProbability(1 - (1 - confidence) / 2);
    double[] d = differences(canary, baseline);
    double low = root(canary, baseline, d, q, true);
    double high = root(canary, baseline, d, -q, true);
    double estimate = root(canary, baseline, d, 0, false);
    return new Estimate(estimate, low, high);
  }

  /** At most this many pairwise differences (about 3000 values a side): 80 MB of doubles. */
  static final long MAX_DIFFERENCES = 10_000_000L;

  /** The sorted distinct pairwise differences canary[i] - baseline[j]. */
  static double[] differences(double[] x, double[] y) {
    if ((long) x.length * y.length > MAX_DIFFERENCES) {
      throw new IllegalArgumentException(
          x.length + " by " + y.length + " samples are too many; use a longer step");
    }
    double[] d = new double[x.length * y.length];
    int k = 0;
    for (double xi : x) {
      for (double yj : y) {
        d[k++] = xi - yj;
      }
    }
    Arrays.sort(d);
    return Arrays.stream(d).distinct().toArray();
  }

  /**
   * Where {@code f(mu) - zq} changes sign. {@code f} is constant between consecutive differences
   * and does not increase with {@code mu}; it is evaluated at the midpoints of the gaps (gap 0 lies
   * left of every difference, gap {@code n} right of them).
   */
  private static double root(double[] x, double[] y, double[] d, double zq, boolean correct) {
    int gaps = d.length + 1;
    // first gap whose value is <= 0
    int lo = 0;
    int hi = gaps;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (value(x, y, d, mid, zq, correct) <= 0) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    if (lo == 0) {
      return d[0];
    }
    if (lo == gaps) {
      return d[d.length - 1];
    }
    if (value(x, y, d, lo, zq, correct) < 0) {
      return d[lo - 1];
    }
    // f is exactly zq from gap lo on: find the last such gap, answer the stretch's midpoint
    int a = lo;
    int b = gaps - 1;
    while (a < b) {
      int mid = (a + b + 1) >>> 1;
      if (value(x, y, d, mid, zq, correct) == 0) {
        a = mid;
      } else {
        b = mid - 1;
      }
    }
    return (d[lo - 1] + d[Math.min(a, d.length - 1)]) / 2;
  }

  private static double value(
      double[] x, double[] y, double[] d, int gap, double zq, boolean correct) {
    double mu;
    if (gap == 0) {
      mu = d[0] - 1 - Math.abs(d[0]);
    } else if (gap == d.length) {
      mu = d[d.length - 1] + 1 + Math.abs(d[d.length - 1]);
    } else {
      mu = (d[gap - 1] + d[gap]) / 2;
    }
    return statistic(x, y, mu, correct) - zq;
  }

  /** The standardised rank-sum statistic of {@code x - mu} against {@code y}. */
  static double statistic(double[] x, double[] y, double mu, boolean correct) {
    int nx = x.length;
    int ny = y.length;
    int n = nx + ny;
    double[] pooled = new double[n];
    for (int i = 0; i < nx; i++) {
      pooled[i] = x[i] - mu;
    }
    System.arraycopy(y, 0, pooled, nx, ny);
    Ranks r = Ranks.of(pooled);
    double rankSum = 0;
    for (int i = 0; i < nx; i++) {
      rankSum += r.ranks()[i];
    }
    double dz = rankSum - nx * (nx + 1) / 2.0 - nx * (double) ny / 2.0;
    double correction = correct ? Math.signum(dz) * 0.5 : 0;
    double sigma =
        Math.sqrt((nx * (double) ny / 12.0) * ((n + 1) - r.tieTerm() / ((double) n * (n - 1))));
    if (sigma == 0) {
      throw new AllTiedException();
    }
    return (dz - correction) / sigma;
  }

  /** Average ranks (1-based) of values and the tie term {@code sum(t^3 - t)} over tie groups. */
  record Ranks(double[] ranks, double tieTerm) {
    static Ranks of(double[] v) {
      Integer[] order = new Integer[v.length];
      for (int i = 0; i < v.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
      double[] ranks = new double[v.length];
      double ties = 0;
      int i = 0;
      while (i < v.length) {
        int j = i;
        while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
          j++;
        }
        double rank = (i + j + 2) / 2.0;
        for (int k = i; k <= j; k++) {
          ranks[order[k]] = rank;
        }
        double t = j - i + 1;
        ties += t * t * t - t;
        i = j + 1;
      }
      return new Ranks(ranks, ties);
    }
  }
}
