package app.flagger.grafana.dashboard;

import static app.flagger.model.metrics.FlaggerMetrics.CANARY_DURATION;
import static app.flagger.model.metrics.FlaggerMetrics.CANARY_FAILURES;
import static app.flagger.model.metrics.FlaggerMetrics.CANARY_JUDGE_SCORE;
import static app.flagger.model.metrics.FlaggerMetrics.CANARY_JUDGE_VERDICT;
import static app.flagger.model.metrics.FlaggerMetrics.CANARY_METRIC_ANALYSIS;
import static app.flagger.model.metrics.FlaggerMetrics.CANARY_STATUS;
import static app.flagger.model.metrics.FlaggerMetrics.CANARY_SUCCESSES;
import static app.flagger.model.metrics.FlaggerMetrics.CANARY_TOTAL;
import static app.flagger.model.metrics.FlaggerMetrics.CANARY_WEIGHT;
import static app.flagger.model.metrics.FlaggerMetrics.CONTROLLER_SHARD;
import static app.flagger.model.metrics.FlaggerMetrics.INFO;

import java.util.ArrayList;
import java.util.List;

/**
 * The Flagger controller dashboard (uid {@code flagger-controller}): canary status, weights,
 * analysis duration, metric values, successes and failures, and the controller's own RED and USE
 * ({@link ControllerHealthPanels}). Every series name comes from {@code FlaggerMetrics}. Each query
 * aggregates by the labels it shows, so the {@code scope}, {@code instance} and {@code pod} labels
 * that Helidon and Prometheus add never split or duplicate a series.
 */
final class ControllerDashboard {
  private ControllerDashboard() {}

  static final String CANARY_FILTER = "namespace=~\"$namespace\", name=~\"$canary\"";
  static final String WEIGHT_FILTER =
      "namespace=~\"$namespace\", workload=~\"$canary|$canary-primary\"";

  static Dashboard create() {
    List<Panel> panels = new ArrayList<>(overview());
    panels.addAll(trends());
    panels.addAll(ControllerHealthPanels.red());
    panels.addAll(ControllerHealthPanels.use());
    panels.addAll(LoadTesterPanels.panels());
    return new Dashboard(
        "flagger-controller",
        "Flagger Controller",
        "Canary status, weights and analysis results, and the Flagger controller's own RED and"
            + " USE metrics.",
        List.of("flagger", "controller"),
        List.of(
            Variable.multi("namespace", "Namespace", CANARY_STATUS.name(), "namespace"),
            Variable.multi(
                "canary", "Canary", CANARY_STATUS.name() + "{namespace=~\"$namespace\"}", "name")),
        panels);
  }

  /** Version, totals and the status of each canary. */
  private static List<Panel> overview() {
    List<Panel> panels = new ArrayList<>();
    panels.add(Panel.row("Canaries"));
    panels.add(
        Panel.label(
            "Flagger version",
            new Target(
                "max by (version, mesh_provider) (" + INFO.name() + ")",
                "{{version}} ({{mesh_provider}})")));
    panels.add(
        Panel.label(
            "Controller shards",
            new Target(
                "max by (index, count) (" + CONTROLLER_SHARD.name() + ")",
                "{{index}} of {{count}}")));
    panels.add(
        Panel.stat(
            "Canaries",
            "none",
            Target.of(
                "sum(max by (namespace) ("
                    + CANARY_TOTAL.name()
                    + "{namespace=~\"$namespace\"}))")));
    panels.add(
        Panel.stat(
            "Successful analyses in range",
            "none",
            Target.of(increase(CANARY_SUCCESSES.name(), "$__range"))));
    panels.add(
        Panel.stat(
            "Failed analyses in range",
            "none",
            Target.of(increase(CANARY_FAILURES.name(), "$__range"))));
    panels.add(statusPanel());
    return panels;
  }

  /** Counts, status, weights, durations, metric values and results over time. */
  private static List<Panel> trends() {
    List<Panel> panels = new ArrayList<>();
    panels.add(
        Panel.timeseries(
            "Canaries per namespace",
            "none",
            12,
            new Target(
                "max by (namespace) (" + CANARY_TOTAL.name() + "{namespace=~\"$namespace\"})",
                "{{namespace}}")));
    panels.add(
        Panel.timeseries(
            "Canary status over time (0 progressing, 1 ok, 2 failed)",
            "none",
            12,
            new Target(
                "max by (namespace, name) (" + CANARY_STATUS.name() + "{" + CANARY_FILTER + "})",
                "{{namespace}}/{{name}}")));
    panels.add(
        Panel.timeseries(
            "Primary and canary weight",
            "percent",
            12,
            new Target(
                "max by (namespace, workload) ("
                    + CANARY_WEIGHT.name()
                    + "{"
                    + WEIGHT_FILTER
                    + "})",
                "{{namespace}}/{{workload}}")));
    panels.add(durationPanel());
    panels.add(
        Panel.timeseries(
            "Last value of each analysis metric",
            "none",
            12,
            new Target(
                "max by (namespace, name, metric) ("
                    + CANARY_METRIC_ANALYSIS.name()
                    + "{"
                    + CANARY_FILTER
                    + "})",
                "{{namespace}}/{{name}} {{metric}}")));
    panels.add(
        Panel.timeseries(
            "Judge score and verdicts (1 pass, -1 fail, 0 no data)",
            "none",
            12,
            new Target(
                "max by (namespace, name) ("
                    + CANARY_JUDGE_SCORE.name()
                    + "{"
                    + CANARY_FILTER
                    + "})",
                "score {{namespace}}/{{name}}"),
            new Target(
                "max by (namespace, name, metric) ("
                    + CANARY_JUDGE_VERDICT.name()
                    + "{"
                    + CANARY_FILTER
                    + "})",
                "verdict {{namespace}}/{{name}} {{metric}}")));
    panels.add(
        Panel.timeseries(
            "Successes and failures",
            "none",
            12,
            new Target(
                increaseBy(CANARY_SUCCESSES.name()),
                "succeeded {{name}} ({{deployment_strategy}})"),
            new Target(
                increaseBy(CANARY_FAILURES.name()), "failed {{name}} ({{deployment_strategy}})")));
    return panels;
  }

  private static Panel statusPanel() {
    return new Panel.Stat(
        "Canary status",
        "none",
        24,
        4,
        List.of(
            new Target(
                "max by (namespace, name) (" + CANARY_STATUS.name() + "{" + CANARY_FILTER + "})",
                "{{namespace}}/{{name}}")),
        List.of(),
        List.of(
            new Panel.ValueText(0, "Progressing", "blue"),
            new Panel.ValueText(1, "OK", "green"),
            new Panel.ValueText(2, "Failed", "red")),
        "auto");
  }

  private static Panel durationPanel() {
    List<Target> targets = new ArrayList<>();
    for (double q : List.of(0.5, 0.9, 0.99)) {
      targets.add(
          new Target(
              "histogram_quantile("
                  + q
                  + ", sum by (le, namespace, name) (rate("
                  + CANARY_DURATION.bucket()
                  + "{"
                  + CANARY_FILTER
                  + "}"
                  + MeshMetrics.RATE
                  + ")))",
              "P" + Math.round(q * 100) + " {{namespace}}/{{name}}"));
    }
    return new Panel.TimeSeries("Analysis duration", "s", 12, 8, false, targets);
  }

  private static String increase(String counter, String range) {
    return "sum(increase(" + counter + "{" + CANARY_FILTER + "}[" + range + "]))";
  }

  private static String increaseBy(String counter) {
    return "sum by (namespace, name, deployment_strategy) (increase("
        + counter
        + "{"
        + CANARY_FILTER
        + "}"
        + MeshMetrics.RATE
        + "))";
  }
}
