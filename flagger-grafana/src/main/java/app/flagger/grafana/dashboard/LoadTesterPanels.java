package app.flagger.grafana.dashboard;

import static app.flagger.model.metrics.FlaggerMetrics.LOADTESTER_LATENCY;
import static app.flagger.model.metrics.FlaggerMetrics.LOADTESTER_REQUESTS;

import java.util.List;

/**
 * The traffic flagger-loadtester's built-in generator sends to canaries during analysis: rate by
 * canary and status code, and latency quantiles, so a failed check can be told apart from a load
 * generator that stopped.
 */
final class LoadTesterPanels {
  private LoadTesterPanels() {}

  static List<Panel> panels() {
    String rate = MeshMetrics.RATE;
    return List.of(
        Panel.row("Load tester: generated traffic"),
        Panel.timeseries(
            "Generated requests by canary and code",
            "reqps",
            12,
            new Target(
                "sum by (canary, code) (rate(" + LOADTESTER_REQUESTS.name() + rate + "))",
                "{{canary}} {{code}}")),
        Panel.timeseries(
            "Generated request latency",
            "s",
            12,
            latency(0.5, "P50 {{canary}}"),
            latency(0.99, "P99 {{canary}}")));
  }

  private static Target latency(double q, String legend) {
    return new Target(
        "histogram_quantile("
            + q
            + ", sum by (le, canary) (rate("
            + LOADTESTER_LATENCY.bucket()
            + MeshMetrics.RATE
            + ")))",
        legend);
  }
}
