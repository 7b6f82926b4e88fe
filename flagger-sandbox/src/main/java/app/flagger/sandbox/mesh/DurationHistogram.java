package app.flagger.sandbox.mesh;

/** A request-duration histogram in milliseconds, with Istio's default buckets unless told. */
final class DurationHistogram {
  /**
   * Istio's default buckets for {@code istio_request_duration_milliseconds}, which are also Envoy's
   * default histogram buckets ({@code envoy_cluster_upstream_rq_time}).
   */
  static final double[] BUCKETS = {
    0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000,
    1800000, 3600000
  };

  /** The Linkerd proxy's buckets for {@code response_latency_ms}. */
  static final double[] LINKERD_BUCKETS = {
    1, 2, 3, 4, 5, 10, 20, 30, 40, 50, 100, 200, 300, 400, 500, 1000, 2000, 3000, 4000, 5000, 10000,
    20000, 30000, 40000, 50000
  };

  /**
   * ingress-nginx's buckets for {@code nginx_ingress_controller_response_duration_seconds} (the
   * Prometheus client's defaults), in seconds.
   */
  static final double[] NGINX_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private final double[] buckets;
  private final long[] counts;
  private long count;
  private double sum;

  DurationHistogram() {
    this(BUCKETS);
  }

  DurationHistogram(double[] buckets) {
    this.buckets = buckets;
    this.counts = new long[buckets.length];
  }

  synchronized void observe(double millis) {
    for (int i = 0; i < buckets.length; i++) {
      if (millis <= buckets[i]) {
        counts[i]++;
        break;
      }
    }
    count++;
    sum += millis;
  }

  /** A consistent copy: cumulative bucket counts, then count and sum. */
  synchronized Snapshot snapshot() {
    long[] cumulative = new long[buckets.length];
    long running = 0;
    for (int i = 0; i < buckets.length; i++) {
      running += counts[i];
      cumulative[i] = running;
    }
    return new Snapshot(buckets, cumulative, count, sum);
  }

  /**
   * @param buckets the upper bounds
   * @param cumulative the cumulative count per bound
   */
  record Snapshot(double[] buckets, long[] cumulative, long count, double sum) {}
}
