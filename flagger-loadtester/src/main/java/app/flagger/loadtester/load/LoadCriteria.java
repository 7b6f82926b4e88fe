package app.flagger.loadtester.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Pass/fail criteria of a load run; {@code null} fields are not checked.
 *
 * @param maxErrorRate highest accepted share of failed requests (5xx and transport errors), in
 *     percent
 * @param maxP95 highest accepted 95th percentile latency
 * @param maxP99 highest accepted 99th percentile latency
 * @param minRequests fewest requests the run must have completed
 */
public record LoadCriteria(
    Double maxErrorRate, Duration maxP95, Duration maxP99, Long minRequests) {
  public static final LoadCriteria NONE = new LoadCriteria(null, null, null, null);

  public boolean isEmpty() {
    return maxErrorRate == null && maxP95 == null && maxP99 == null && minRequests == null;
  }

  /** The criteria {@code r} misses, each as a sentence; empty when it passes. */
  public List<String> failures(LoadResult r) {
    List<String> out = new ArrayList<>();
    if (minRequests != null && r.total() < minRequests) {
      out.add("only " + r.total() + " requests completed, minRequests is " + minRequests);
    }
    if (maxErrorRate != null && r.errorRatePercent() > maxErrorRate) {
      out.add(
          String.format(
              Locale.ROOT,
              "error rate %.2f%% (%d of %d failed) is above maxErrorRate %s%%",
              r.errorRatePercent(),
              r.failed(),
              r.total(),
              trim(maxErrorRate)));
    }
    if (maxP95 != null && r.percentile(95).compareTo(maxP95) > 0) {
      out.add("p95 latency " + millis(r.percentile(95)) + " is above maxP95 " + millis(maxP95));
    }
    if (maxP99 != null && r.percentile(99).compareTo(maxP99) > 0) {
      out.add("p99 latency " + millis(r.percentile(99)) + " is above maxP99 " + millis(maxP99));
    }
    return out;
  }

  private static String millis(Duration d) {
    return String.format(Locale.ROOT, "%.1fms", d.toNanos() / 1e6);
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
