package app.flagger.sandbox.mesh;

/**
 * The labels of one Envoy {@code envoy_cluster_upstream_rq} / {@code
 * envoy_cluster_upstream_rq_time} series.
 *
 * @param cluster the upstream cluster, {@code <namespace>_<service>_<port>} as Contour names it
 * @param responseCode the HTTP status answered, {@code envoy_response_code} (Envoy's time histogram
 *     has no such label; here it has, and the queries sum it away)
 */
record ClusterSeries(String cluster, int responseCode) implements Series {

  @Override
  public String labels() {
    return "envoy_cluster_name=\"%s\",envoy_response_code=\"%d\""
        .formatted(RequestSeries.esc(cluster), responseCode);
  }
}
