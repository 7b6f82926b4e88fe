package app.flagger.grafana.dashboard;

import java.util.ArrayList;
import java.util.List;

/**
 * NGINX ingress canary analysis (uid {@code flagger-nginx}). Flagger points the main ingress at
 * {@code <target>-primary} and the generated canary ingress at {@code <target>-canary}; the
 * controller labels requests with the backend {@code service}.
 */
final class NginxDashboard {
  private NginxDashboard() {}

  static final String REQUESTS = "nginx_ingress_controller_requests";
  static final MeshMetrics MESH =
      new MeshMetrics(
          REQUESTS,
          "status!~\"5.*\"",
          "nginx_ingress_controller_request_duration_seconds_bucket",
          1);

  static Dashboard create() {
    Side primary =
        new Side("Primary", service("$target-primary"), CanaryPanels.podsOf("$target-primary"));
    Side canary =
        new Side(
            "Canary",
            service("$target-canary"),
            CanaryPanels.canaryPods("$target", "$target-primary"));
    String heading = "$target.$namespace";
    List<Panel> panels = new ArrayList<>(CanaryPanels.red(heading, MESH, primary, canary));
    panels.addAll(CanaryPanels.use(heading, "POD", primary, canary));
    return new Dashboard(
        "flagger-nginx",
        "NGINX Canary",
        "RED and USE of the primary and canary of a Flagger canary behind ingress-nginx.",
        List.of("flagger", "nginx"),
        List.of(
            Variable.single("namespace", "Namespace", REQUESTS, "namespace"),
            Variable.single(
                    "target",
                    "Target",
                    REQUESTS + "{namespace=\"$namespace\", service=~\".+-primary\"}",
                    "service")
                .capturing("/(.+)-primary/")),
        panels);
  }

  private static String service(String name) {
    return "namespace=\"$namespace\", service=\"" + name + "\"";
  }
}
