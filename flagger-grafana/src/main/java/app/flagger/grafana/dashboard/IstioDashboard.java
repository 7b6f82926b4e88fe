package app.flagger.grafana.dashboard;

import java.util.ArrayList;
import java.util.List;

/** Istio canary analysis (Flagger's {@code istio.json}, uid {@code flagger-istio}). */
final class IstioDashboard {
  private IstioDashboard() {}

  static final String REQUESTS = "istio_requests_total";
  static final MeshMetrics MESH =
      new MeshMetrics(
          REQUESTS, "response_code!~\"5.*\"", "istio_request_duration_milliseconds_bucket", 1000);

  static Dashboard create() {
    Side primary = new Side("Primary", inbound("$primary"), CanaryPanels.podsOf("$primary"));
    Side canary =
        new Side("Canary", inbound("$canary"), CanaryPanels.canaryPods("$canary", "$primary"));
    String heading = "$canary.$namespace";
    List<Panel> panels = new ArrayList<>(CanaryPanels.red(heading, MESH, primary, canary));
    panels.addAll(CanaryPanels.use(heading, "istio-proxy", primary, canary));
    panels.add(Panel.row("IN/OUTBOUND: " + heading));
    for (String workload : List.of("$primary", "$canary")) {
      String side = workload.equals("$primary") ? "Primary" : "Canary";
      panels.add(
          Panel.timeseries(
              side + ": Incoming Requests by Source And Response Code",
              "reqps",
              12,
              incoming(workload, "=", " (mTLS)"),
              incoming(workload, "!=", "")));
    }
    for (String workload : List.of("$primary", "$canary")) {
      String side = workload.equals("$primary") ? "Primary" : "Canary";
      panels.add(
          Panel.timeseries(
              side + ": Outgoing Requests by Destination And Response Code",
              "reqps",
              12,
              outgoing(workload, "=", " (mTLS)"),
              outgoing(workload, "!=", "")));
    }
    return new Dashboard(
        "flagger-istio",
        "Istio Canary",
        "RED and USE of the primary and canary workloads of a Flagger canary on Istio.",
        List.of("flagger", "istio"),
        List.of(
            Variable.single("namespace", "Namespace", REQUESTS, "destination_workload_namespace"),
            Variable.single(
                "primary",
                "Primary",
                REQUESTS
                    + "{destination_workload_namespace=\"$namespace\","
                    + " destination_workload=~\".+-primary\"}",
                "destination_workload"),
            Variable.single(
                "canary",
                "Canary",
                REQUESTS
                    + "{destination_workload_namespace=\"$namespace\","
                    + " destination_workload!~\".+-primary\"}",
                "destination_workload")),
        panels);
  }

  private static String inbound(String workload) {
    return "reporter=\"destination\", destination_workload_namespace=\"$namespace\","
        + " destination_workload=~\""
        + workload
        + "\"";
  }

  private static Target incoming(String workload, String mtlsOp, String suffix) {
    return new Target(
        "sum by (source_workload, source_workload_namespace, response_code) (rate("
            + REQUESTS
            + "{connection_security_policy"
            + mtlsOp
            + "\"mutual_tls\", "
            + inbound(workload)
            + "}"
            + MeshMetrics.RATE
            + "))",
        "{{source_workload}}.{{source_workload_namespace}} : {{response_code}}" + suffix);
  }

  private static Target outgoing(String workload, String mtlsOp, String suffix) {
    return new Target(
        "sum by (destination_service, response_code) (rate("
            + REQUESTS
            + "{connection_security_policy"
            + mtlsOp
            + "\"mutual_tls\", reporter=\"source\", source_workload_namespace=\"$namespace\","
            + " source_workload=~\""
            + workload
            + "\"}"
            + MeshMetrics.RATE
            + "))",
        "{{destination_service}} : {{response_code}}" + suffix);
  }
}
