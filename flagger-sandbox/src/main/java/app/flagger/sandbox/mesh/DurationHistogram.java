package app.flagger.sandbox.mesh;

/** A request-duration histogram with Istio's default millisecond buckets. */
final class DurationHistogram {
  /** Istio's default buckets for {@code istio_request_duration_milliseconds}. */
  static final double[] BUCKETS = {
    0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000,
    1800000, 3600000
  };

  private final long[] counts = new long[BUCKETS.length];
  private long count;
  private double sum;

  synchronized void observe(double millis) {
    for (int i = 0; i < BUCKETS.length; i++) {
      if (millis <= BUCKETS[i]) {
        counts[i]++;
        break;
      }
    }
    count++;
    sum += millis;
  }

  /** A consistent copy: cumulative bucket counts, then count and sum. */
  synchronized Snapshot snapshot() {
    long[] cumulative = new long[BUCKETS.length];
    long running = 0;
    for (int i = 0; i < BUCKETS.length; i++) {
      running += counts[i];
      cumulative[i] = running;
    }
    return new Snapshot(cumulative, count, sum);
  }

  record Snapshot(long[] cumulative, long count, double sum) {}
}
