package app.flagger.grafana.dashboard;

import java.util.ArrayList;
import java.util.List;

/** App Mesh canary analysis (Flagger's {@code appmesh.json}, uid {@code flagger-appmesh}). */
final class AppMeshDashboard {
  private AppMeshDashboard() {}

  static final String REQUESTS = "envoy_cluster_upstream_rq";
  static final MeshMetrics MESH =
      new MeshMetrics(
          REQUESTS, "envoy_response_code!~\"5.*\"", "envoy_cluster_upstream_rq_time_bucket", 1000);

  static Dashboard create() {
    Side primary = new Side("Primary", traffic("$primary"), CanaryPanels.podsOf("$primary"));
    Side canary =
        new Side("Canary", traffic("$canary"), CanaryPanels.canaryPods("$canary", "$primary"));
    String heading = "$canary.$namespace";
    List<Panel> panels = new ArrayList<>(CanaryPanels.red(heading, MESH, primary, canary));
    for (Side side : List.of(primary, canary)) {
      panels.add(
          Panel.timeseries(
              side.name() + ": Incoming Traffic",
              "Bps",
              12,
              new Target(
                  "sum(rate(envoy_cluster_upstream_cx_rx_bytes_total{"
                      + side.traffic()
                      + "}"
                      + MeshMetrics.RATE
                      + "))",
                  "traffic")));
    }
    panels.addAll(CanaryPanels.use(heading, "envoy", primary, canary));
    return new Dashboard(
        "flagger-appmesh",
        "AppMesh Canary",
        "RED and USE of the primary and canary workloads of a Flagger canary on AWS App Mesh.",
        List.of("flagger", "appmesh"),
        List.of(
            Variable.single("namespace", "Namespace", REQUESTS, "kubernetes_namespace"),
            Variable.single(
                "primary",
                "Primary",
                REQUESTS + "{kubernetes_namespace=\"$namespace\", app=~\".+-primary\"}",
                "app"),
            Variable.single(
                "canary",
                "Canary",
                REQUESTS + "{kubernetes_namespace=\"$namespace\", app!~\".+-primary\"}",
                "app")),
        panels);
  }

  private static String traffic(String app) {
    return "kubernetes_namespace=\"$namespace\", app=~\"" + app + "\"";
  }
}
