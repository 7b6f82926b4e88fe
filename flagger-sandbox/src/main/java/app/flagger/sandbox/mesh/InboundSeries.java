package app.flagger.sandbox.mesh;

/**
 * The labels of one Linkerd {@code response_total} / {@code response_latency_ms} series, as the
 * proxy of the answering pod reports its inbound traffic.
 *
 * @param namespace the pod's namespace
 * @param deployment the pod's Deployment
 * @param pod the pod
 * @param statusCode the HTTP status answered
 * @param meshed whether the caller is a mesh workload (its connection is mutual TLS)
 */
record InboundSeries(
    String namespace, String deployment, String pod, int statusCode, boolean meshed)
    implements Series {

  /** Linkerd's default response classification: a 5xx answer is a failure. */
  String classification() {
    return statusCode >= 500 ? "failure" : "success";
  }

  @Override
  public String labels() {
    return "direction=\"inbound\",namespace=\"%s\",deployment=\"%s\",pod=\"%s\",status_code=\"%d\",classification=\"%s\",tls=\"%s\""
        .formatted(
            RequestSeries.esc(namespace),
            RequestSeries.esc(deployment),
            RequestSeries.esc(pod),
            statusCode,
            classification(),
            meshed ? "true" : "no_identity");
  }
}
