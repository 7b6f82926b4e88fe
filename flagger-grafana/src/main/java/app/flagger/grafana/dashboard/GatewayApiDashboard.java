package app.flagger.grafana.dashboard;

import java.util.ArrayList;
import java.util.List;

/**
 * Gateway API (and plain Kubernetes) canary analysis from the application's own {@code
 * http_request_duration_seconds} histogram, the series Flagger's HTTP observer queries (uid {@code
 * flagger-gatewayapi}). Prometheus must add {@code kubernetes_namespace} and {@code
 * kubernetes_pod_name} when scraping the pods.
 */
final class GatewayApiDashboard {
  private GatewayApiDashboard() {}

  static final String REQUESTS = "http_request_duration_seconds_count";
  static final MeshMetrics MESH =
      new MeshMetrics(REQUESTS, "status!~\"5.*\"", "http_request_duration_seconds_bucket", 1);
  private static final String POD_SUFFIX = "-[0-9a-zA-Z]+-[0-9a-zA-Z]+";

  static Dashboard create() {
    Side primary =
        new Side("Primary", pods("$target-primary"), CanaryPanels.podsOf("$target-primary"));
    Side canary =
        new Side("Canary", pods("$target"), CanaryPanels.canaryPods("$target", "$target-primary"));
    String heading = "$target.$namespace";
    List<Panel> panels = new ArrayList<>(CanaryPanels.red(heading, MESH, primary, canary));
    panels.addAll(CanaryPanels.use(heading, "POD", primary, canary));
    return new Dashboard(
        "flagger-gatewayapi",
        "Gateway API Canary",
        "RED (from the application's http_request_duration_seconds) and USE of the primary and"
            + " canary of a Flagger canary routed by Gateway API.",
        List.of("flagger", "gatewayapi"),
        List.of(
            Variable.single("namespace", "Namespace", REQUESTS, "kubernetes_namespace"),
            Variable.single(
                    "target",
                    "Target",
                    REQUESTS
                        + "{kubernetes_namespace=\"$namespace\","
                        + " kubernetes_pod_name=~\".+-primary"
                        + POD_SUFFIX
                        + "\"}",
                    "kubernetes_pod_name")
                .capturing("/^(.+)-primary" + POD_SUFFIX + "$/")),
        panels);
  }

  /** The pods of a Deployment: {@code <workload>-<replicaset hash>-<pod hash>}, nothing longer. */
  private static String pods(String workload) {
    return "kubernetes_namespace=\"$namespace\", kubernetes_pod_name=~\""
        + workload
        + POD_SUFFIX
        + "\"";
  }
}
