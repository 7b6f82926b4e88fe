package app.flagger.sandbox.mesh;

/**
 * The labels of one ingress-nginx {@code nginx_ingress_controller_requests} / {@code
 * nginx_ingress_controller_response_duration_seconds} series, as its controller reports a request
 * it served by an Ingress.
 *
 * @param served the Ingress, backend and path, and the canary's upstream when the canary served it
 * @param method the request's method
 * @param status the HTTP status answered
 */
record IngressSeries(IngressView.Served served, String method, int status) implements Series {

  @Override
  public String labels() {
    return ("canary=\"%s\",controller_class=\"k8s.io/ingress-nginx\",controller_namespace=\"ingress-nginx\","
            + "controller_pod=\"ingress-nginx-controller\",host=\"%s\",ingress=\"%s\",method=\"%s\","
            + "namespace=\"%s\",path=\"%s\",service=\"%s\",status=\"%d\"")
        .formatted(
            RequestSeries.esc(served.canary()),
            RequestSeries.esc(served.host()),
            RequestSeries.esc(served.ingress()),
            RequestSeries.esc(method),
            RequestSeries.esc(served.namespace()),
            RequestSeries.esc(served.path()),
            RequestSeries.esc(served.service()),
            status);
  }
}
