package app.flagger.grafana.dashboard;

import java.util.ArrayList;
import java.util.List;

/**
 * The panels every canary-analysis dashboard shares: RED (request volume, success rate, P50/P90/P99
 * duration) and USE (CPU, memory and network by pod) for the primary and the canary.
 */
final class CanaryPanels {
  private CanaryPanels() {}

  static List<Panel> red(String heading, MeshMetrics mesh, Side primary, Side canary) {
    List<Panel> panels = new ArrayList<>();
    panels.add(Panel.row("RED: " + heading));
    for (Side side : List.of(primary, canary)) {
      panels.add(
          Panel.stat(
              side.name() + ": Incoming Request Volume",
              "reqps",
              Target.of(mesh.volume(side.traffic()))));
      panels.add(
          Panel.successRate(
              side.name() + ": Incoming Success Rate",
              Target.of(mesh.successRatio(side.traffic()))));
    }
    panels.add(
        Panel.timeseries(
            "Success Rate: Primary vs Canary",
            "percentunit",
            24,
            new Target(mesh.successRatio(primary.traffic()), primary.name()),
            new Target(mesh.successRatio(canary.traffic()), canary.name())));
    for (Side side : List.of(primary, canary)) {
      panels.add(
          Panel.timeseries(
              side.name() + ": Request Duration",
              "s",
              12,
              new Target(mesh.durationSeconds(0.5, side.traffic()), "P50"),
              new Target(mesh.durationSeconds(0.9, side.traffic()), "P90"),
              new Target(mesh.durationSeconds(0.99, side.traffic()), "P99")));
    }
    return panels;
  }

  /**
   * CPU, memory and network of the pods from cAdvisor (kubelet) series.
   *
   * @param sidecar the proxy container left out of CPU and memory, e.g. {@code istio-proxy}
   */
  static List<Panel> use(String heading, String sidecar, Side primary, Side canary) {
    String containers = "container!~\"POD|" + sidecar + "|\"";
    List<Panel> panels = new ArrayList<>();
    panels.add(Panel.row("USE: " + heading));
    for (Side side : List.of(primary, canary)) {
      panels.add(
          Panel.stacked(
              side.name() + ": CPU Usage by Pod",
              "s",
              12,
              new Target(
                  "sum by (pod) (rate(container_cpu_usage_seconds_total{"
                      + side.pods()
                      + ", "
                      + containers
                      + "}"
                      + MeshMetrics.RATE
                      + "))",
                  "{{pod}}")));
    }
    for (Side side : List.of(primary, canary)) {
      panels.add(
          Panel.stacked(
              side.name() + ": Memory Usage by Pod",
              "bytes",
              12,
              new Target(
                  "sum by (pod) (container_memory_working_set_bytes{"
                      + side.pods()
                      + ", "
                      + containers
                      + "})",
                  "{{pod}}")));
    }
    for (Side side : List.of(primary, canary)) {
      panels.add(
          Panel.timeseries(
              side.name() + ": Network I/O",
              "Bps",
              12,
              new Target(network("receive", side), "received"),
              new Target("-" + network("transmit", side), "transmitted")));
    }
    return panels;
  }

  private static String network(String direction, Side side) {
    return "sum(rate(container_network_"
        + direction
        + "_bytes_total{"
        + side.pods()
        + "}"
        + MeshMetrics.RATE
        + "))";
  }

  /** Pod matchers for a workload whose pods are named {@code <workload>-...}. */
  static String podsOf(String workload) {
    return "namespace=\"$namespace\", pod=~\"" + workload + "-.*\"";
  }

  /** Pod matchers for the canary: {@code <canary>-...} but not the primary's pods. */
  static String canaryPods(String canary, String primary) {
    return podsOf(canary) + ", pod!~\"" + primary + "-.*\"";
  }
}
