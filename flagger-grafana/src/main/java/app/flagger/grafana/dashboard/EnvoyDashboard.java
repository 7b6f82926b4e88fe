package app.flagger.grafana.dashboard;

import java.util.ArrayList;
import java.util.List;

/**
 * Envoy-based ingress canary analysis for Contour and Gloo (Flagger's {@code envoy.json}, uid
 * {@code flagger-envoy}). Flagger names the Envoy clusters {@code <ns>_<target>-primary_<port>}
 * (Contour) or {@code <ns>-<target>-primaryupstream-<port>} (Gloo), and the same with {@code
 * canary}; the target variable is captured from the primary cluster names.
 */
final class EnvoyDashboard {
  private EnvoyDashboard() {}

  static Dashboard create() {
    MeshMetrics mesh = AppMeshDashboard.MESH;
    Side primary = new Side("Primary", cluster("primary"), CanaryPanels.podsOf("$target-primary"));
    Side canary =
        new Side(
            "Canary", cluster("canary"), CanaryPanels.canaryPods("$target", "$target-primary"));
    String heading = "$target.$namespace";
    List<Panel> panels = new ArrayList<>(CanaryPanels.red(heading, mesh, primary, canary));
    panels.addAll(CanaryPanels.use(heading, "envoy", primary, canary));
    return new Dashboard(
        "flagger-envoy",
        "Envoy Canary",
        "RED and USE of the primary and canary of a Flagger canary behind Contour or Gloo.",
        List.of("flagger", "envoy", "contour", "gloo"),
        List.of(
            Variable.single(
                "namespace", "Namespace", "container_cpu_usage_seconds_total", "namespace"),
            Variable.single(
                    "target",
                    "Target",
                    AppMeshDashboard.REQUESTS
                        + "{envoy_cluster_name=~\"$namespace[_-].+-primary.*\"}",
                    "envoy_cluster_name")
                .capturing("/^$namespace[_-](.+)-primary.*/")),
        panels);
  }

  private static String cluster(String side) {
    return "envoy_cluster_name=~\"$namespace[_-]$target-" + side + ".*\"";
  }
}
