package app.flagger.grafana.dashboard;

import java.util.ArrayList;
import java.util.List;

/** Linkerd canary analysis from the proxies' inbound series (uid {@code flagger-linkerd}). */
final class LinkerdDashboard {
  private LinkerdDashboard() {}

  static final String REQUESTS = "response_total";
  static final MeshMetrics MESH =
      new MeshMetrics(REQUESTS, "classification!=\"failure\"", "response_latency_ms_bucket", 1000);

  static Dashboard create() {
    Side primary = new Side("Primary", inbound("$primary"), CanaryPanels.podsOf("$primary"));
    Side canary =
        new Side("Canary", inbound("$canary"), CanaryPanels.canaryPods("$canary", "$primary"));
    String heading = "$canary.$namespace";
    List<Panel> panels = new ArrayList<>(CanaryPanels.red(heading, MESH, primary, canary));
    panels.addAll(CanaryPanels.use(heading, "linkerd-proxy", primary, canary));
    String base = REQUESTS + "{direction=\"inbound\", namespace=\"$namespace\", deployment";
    return new Dashboard(
        "flagger-linkerd",
        "Linkerd Canary",
        "RED and USE of the primary and canary workloads of a Flagger canary on Linkerd.",
        List.of("flagger", "linkerd"),
        List.of(
            Variable.single(
                "namespace", "Namespace", REQUESTS + "{direction=\"inbound\"}", "namespace"),
            Variable.single("primary", "Primary", base + "=~\".+-primary\"}", "deployment"),
            Variable.single("canary", "Canary", base + "!~\".+-primary\"}", "deployment")),
        panels);
  }

  private static String inbound(String deployment) {
    return "direction=\"inbound\", namespace=\"$namespace\", deployment=~\"" + deployment + "\"";
  }
}
