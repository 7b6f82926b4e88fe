package app.flagger.sandbox.mesh;

/**
 * The labels of one {@code istio_requests_total} series.
 *
 * @param reporter {@code destination} (or {@code source} when the caller is a known workload)
 * @param sourceWorkload the caller's workload, {@code unknown} when it did not say
 * @param sourceNamespace the caller's namespace, {@code unknown} when it did not say
 * @param destinationWorkload the Deployment that answered
 * @param destinationNamespace its namespace
 * @param destinationService the Service host asked for (cluster-local name)
 * @param destinationServiceName the Service name
 * @param responseCode the HTTP status answered
 */
public record RequestSeries(
    String reporter,
    String sourceWorkload,
    String sourceNamespace,
    String destinationWorkload,
    String destinationNamespace,
    String destinationService,
    String destinationServiceName,
    int responseCode)
    implements Series {

  @Override
  public String labels() {
    return "reporter=\"%s\",source_workload=\"%s\",source_workload_namespace=\"%s\",destination_workload=\"%s\",destination_workload_namespace=\"%s\",destination_service=\"%s\",destination_service_name=\"%s\",destination_service_namespace=\"%s\",request_protocol=\"http\",response_code=\"%d\",response_flags=\"-\",connection_security_policy=\"%s\""
        .formatted(
            esc(reporter),
            esc(sourceWorkload),
            esc(sourceNamespace),
            esc(destinationWorkload),
            esc(destinationNamespace),
            esc(destinationService),
            esc(destinationServiceName),
            esc(destinationNamespace),
            responseCode,
            securityPolicy());
  }

  /**
   * Istio's {@code connection_security_policy}: a caller that named itself is a mesh workload and
   * talks mutual TLS; an anonymous caller (a client outside the mesh) arrives in plain text.
   */
  String securityPolicy() {
    return "unknown".equals(sourceWorkload) ? "none" : "mutual_tls";
  }

  static String esc(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
