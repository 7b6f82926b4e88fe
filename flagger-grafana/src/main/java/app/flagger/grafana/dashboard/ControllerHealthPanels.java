package app.flagger.grafana.dashboard;

import static app.flagger.model.metrics.FlaggerMetrics.CONTROLLER_CALLS;
import static app.flagger.model.metrics.FlaggerMetrics.CONTROLLER_CALL_DURATION;
import static app.flagger.model.metrics.FlaggerMetrics.CONTROLLER_CANARIES_WAITING;
import static app.flagger.model.metrics.FlaggerMetrics.CONTROLLER_CPU_SECONDS;
import static app.flagger.model.metrics.FlaggerMetrics.CONTROLLER_EVENTS_DROPPED;
import static app.flagger.model.metrics.FlaggerMetrics.CONTROLLER_EVENT_QUEUE_DEPTH;
import static app.flagger.model.metrics.FlaggerMetrics.CONTROLLER_HEAP_USED;
import static app.flagger.model.metrics.FlaggerMetrics.CONTROLLER_JOBS;
import static app.flagger.model.metrics.FlaggerMetrics.CONTROLLER_KUBE_EVENT_QUEUE_DEPTH;
import static app.flagger.model.metrics.FlaggerMetrics.CONTROLLER_KUBE_REQUESTS_IN_FLIGHT;
import static app.flagger.model.metrics.FlaggerMetrics.CONTROLLER_KUBE_THROTTLE;
import static app.flagger.model.metrics.FlaggerMetrics.CONTROLLER_METRICS_PROVIDER_CALLS;
import static app.flagger.model.metrics.FlaggerMetrics.CONTROLLER_RSS;
import static app.flagger.model.metrics.FlaggerMetrics.CONTROLLER_TICKS_IN_FLIGHT;
import static app.flagger.model.metrics.FlaggerMetrics.CONTROLLER_TICK_DURATION;
import static app.flagger.model.metrics.FlaggerMetrics.CONTROLLER_TICK_LATENESS;
import static app.flagger.model.metrics.FlaggerMetrics.OUTCOME_ERROR;

import app.flagger.model.metrics.MetricName;
import java.util.List;

/**
 * The controller's own RED (calls to the API server, metric providers, webhooks and notifiers:
 * rate, errors, duration) and USE (CPU, memory, ticks in flight, tick lateness, event-webhook
 * queue) panels.
 */
final class ControllerHealthPanels {
  private ControllerHealthPanels() {}

  private static final String RATE = MeshMetrics.RATE;

  static List<Panel> red() {
    String calls = CONTROLLER_CALLS.name();
    String errors = calls + "{outcome=\"" + OUTCOME_ERROR + "\"}";
    return List.of(
        Panel.row("Controller RED: calls to the API server, metric providers and webhooks"),
        Panel.timeseries(
            "Call rate by target",
            "reqps",
            8,
            new Target("sum by (target) (rate(" + calls + RATE + "))", "{{target}}")),
        Panel.timeseries(
            "Call errors by target",
            "percentunit",
            8,
            new Target(
                "sum by (target) (rate("
                    + errors
                    + RATE
                    + ")) / sum by (target) (rate("
                    + calls
                    + RATE
                    + "))",
                "{{target}} error ratio")),
        Panel.timeseries(
            "Call duration by target",
            "s",
            8,
            quantile(0.5, CONTROLLER_CALL_DURATION, "target", "P50 {{target}}"),
            quantile(0.99, CONTROLLER_CALL_DURATION, "target", "P99 {{target}}")),
        Panel.timeseries(
            "Metric provider calls by type and outcome",
            "reqps",
            8,
            new Target(
                "sum by (type, outcome) (rate("
                    + CONTROLLER_METRICS_PROVIDER_CALLS.name()
                    + RATE
                    + "))",
                "{{type}} {{outcome}}")));
  }

  static List<Panel> use() {
    return List.of(
        Panel.row("Controller USE: CPU, memory, ticks and queues"),
        Panel.timeseries(
            "CPU",
            "s",
            8,
            new Target(
                "sum by (instance) (rate(" + CONTROLLER_CPU_SECONDS.name() + RATE + "))",
                "{{instance}}")),
        Panel.timeseries(
            "Memory",
            "bytes",
            8,
            byInstance(CONTROLLER_HEAP_USED, "heap {{instance}}"),
            byInstance(CONTROLLER_RSS, "resident {{instance}}")),
        Panel.timeseries(
            "Canary jobs, ticks and API requests in flight",
            "none",
            8,
            byInstance(CONTROLLER_JOBS, "jobs {{instance}}"),
            byInstance(CONTROLLER_TICKS_IN_FLIGHT, "ticks in flight {{instance}}"),
            byInstance(CONTROLLER_KUBE_REQUESTS_IN_FLIGHT, "API requests in flight {{instance}}")),
        Panel.timeseries(
            "Tick lateness and duration",
            "s",
            12,
            quantile(0.5, CONTROLLER_TICK_LATENESS, "instance", "late P50 {{instance}}"),
            quantile(0.99, CONTROLLER_TICK_LATENESS, "instance", "late P99 {{instance}}"),
            quantile(0.99, CONTROLLER_TICK_DURATION, "instance", "duration P99 {{instance}}")),
        Panel.timeseries(
            "Event queues: depth and drops",
            "none",
            12,
            byInstance(CONTROLLER_KUBE_EVENT_QUEUE_DEPTH, "Kubernetes Events {{instance}}"),
            byInstance(CONTROLLER_EVENT_QUEUE_DEPTH, "event webhook {{instance}}"),
            new Target(
                "sum by (instance, sink, reason) (increase("
                    + CONTROLLER_EVENTS_DROPPED.name()
                    + RATE
                    + "))",
                "dropped ({{sink}}, {{reason}}) {{instance}}")),
        Panel.timeseries(
            "Kubernetes client throttling (wait for kubeconfig-qps)",
            "s",
            12,
            quantile(0.5, CONTROLLER_KUBE_THROTTLE, "instance", "P50 {{instance}}"),
            quantile(0.99, CONTROLLER_KUBE_THROTTLE, "instance", "P99 {{instance}}")),
        Panel.timeseries(
            "Canaries waiting for a release slot (max-concurrent-canaries)",
            "none",
            12,
            // every replica reads the same Canaries: the largest is the cluster's queue
            new Target("max(" + CONTROLLER_CANARIES_WAITING.name() + ")", "waiting")));
  }

  private static Target byInstance(MetricName gauge, String legend) {
    return new Target("sum by (instance) (" + gauge.name() + ")", legend);
  }

  private static Target quantile(double q, MetricName histogram, String by, String legend) {
    return new Target(
        "histogram_quantile("
            + q
            + ", sum by (le, "
            + by
            + ") (rate("
            + histogram.bucket()
            + RATE
            + ")))",
        legend);
  }
}
