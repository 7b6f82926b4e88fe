package app.flagger.grafana.dashboard;

/**
 * The request series of one mesh or ingress, from which the RED panels are built.
 *
 * @param requests request counter ({@code istio_requests_total})
 * @param success extra matcher keeping successful requests ({@code response_code!~"5.*"})
 * @param bucket duration histogram buckets ({@code istio_request_duration_milliseconds_bucket})
 * @param bucketUnitsPerSecond 1000 when the histogram is in milliseconds, 1 when in seconds
 */
record MeshMetrics(String requests, String success, String bucket, int bucketUnitsPerSecond) {
  static final String RATE = "[$__rate_interval]";

  /** Requests per second. */
  String volume(String traffic) {
    return "sum(rate(" + requests + "{" + traffic + "}" + RATE + "))";
  }

  /** Ratio (0–1) of successful requests. */
  String successRatio(String traffic) {
    return "sum(rate("
        + requests
        + "{"
        + traffic
        + ", "
        + success
        + "}"
        + RATE
        + ")) / sum(rate("
        + requests
        + "{"
        + traffic
        + "}"
        + RATE
        + "))";
  }

  /** The given quantile of request duration, in seconds. */
  String durationSeconds(double quantile, String traffic) {
    String q =
        "histogram_quantile("
            + quantile
            + ", sum by (le) (rate("
            + bucket
            + "{"
            + traffic
            + "}"
            + RATE
            + ")))";
    return bucketUnitsPerSecond == 1 ? q : q + " / " + bucketUnitsPerSecond;
  }
}
