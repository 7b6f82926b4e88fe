package app.flagger.model.metrics;

import static app.flagger.model.metrics.MetricType.COUNTER;
import static app.flagger.model.metrics.MetricType.GAUGE;
import static app.flagger.model.metrics.MetricType.HISTOGRAM;

import java.util.List;

/**
 * Every metric family the controller exposes at {@code /metrics}. The first eight keep Flagger's
 * names and labels, so existing dashboards and alerts keep working; the {@code
 * flagger_controller_*} families are the controller's own RED and USE signals. The controller
 * registers exactly these, and the Grafana dashboards are generated from them.
 */
public final class FlaggerMetrics {
  private FlaggerMetrics() {}

  /** Label names shared by several families. */
  public static final String LABEL_NAME = "name";

  public static final String LABEL_NAMESPACE = "namespace";
  public static final String LABEL_WORKLOAD = "workload";
  public static final String LABEL_METRIC = "metric";
  public static final String LABEL_VERSION = "version";
  public static final String LABEL_MESH_PROVIDER = "mesh_provider";
  public static final String LABEL_DEPLOYMENT_STRATEGY = "deployment_strategy";
  public static final String LABEL_ANALYSIS_STATUS = "analysis_status";
  public static final String LABEL_TARGET = "target";
  public static final String LABEL_OUTCOME = "outcome";
  public static final String LABEL_SINK = "sink";
  public static final String LABEL_REASON = "reason";

  public static final MetricName INFO =
      new MetricName(
          "flagger_info",
          GAUGE,
          List.of(LABEL_VERSION, LABEL_MESH_PROVIDER),
          "Flagger version and mesh provider information");
  public static final MetricName CANARY_TOTAL =
      new MetricName(
          "flagger_canary_total", GAUGE, List.of(LABEL_NAMESPACE), "Total number of canary object");
  public static final MetricName CANARY_STATUS =
      new MetricName(
          "flagger_canary_status",
          GAUGE,
          List.of(LABEL_NAME, LABEL_NAMESPACE),
          "Last canary analysis result");
  public static final MetricName CANARY_WEIGHT =
      new MetricName(
          "flagger_canary_weight",
          GAUGE,
          List.of(LABEL_WORKLOAD, LABEL_NAMESPACE),
          "The virtual service destination weight current value");
  public static final MetricName CANARY_DURATION =
      new MetricName(
          "flagger_canary_duration_seconds",
          HISTOGRAM,
          List.of(LABEL_NAME, LABEL_NAMESPACE),
          "Seconds spent performing canary analysis.");
  public static final MetricName CANARY_METRIC_ANALYSIS =
      new MetricName(
          "flagger_canary_metric_analysis",
          GAUGE,
          List.of(LABEL_NAME, LABEL_NAMESPACE, LABEL_METRIC),
          "Last canary analysis result per metric");
  public static final MetricName CANARY_JUDGE_SCORE =
      new MetricName(
          "flagger_canary_judge_score",
          GAUGE,
          List.of(LABEL_NAME, LABEL_NAMESPACE),
          "Last judge score of the canary against its baseline (0 to 100)");
  public static final MetricName CANARY_JUDGE_VERDICT =
      new MetricName(
          "flagger_canary_judge_verdict",
          GAUGE,
          List.of(LABEL_NAME, LABEL_NAMESPACE, LABEL_METRIC),
          "Last judge verdict per compared metric: 1 pass, -1 fail (high or low), 0 no data or"
              + " error");
  public static final MetricName CANARY_SUCCESSES =
      new MetricName(
          "flagger_canary_successes_total",
          COUNTER,
          List.of(LABEL_NAME, LABEL_NAMESPACE, LABEL_DEPLOYMENT_STRATEGY, LABEL_ANALYSIS_STATUS),
          "Total number of canary successes");
  public static final MetricName CANARY_FAILURES =
      new MetricName(
          "flagger_canary_failures_total",
          COUNTER,
          List.of(LABEL_NAME, LABEL_NAMESPACE, LABEL_DEPLOYMENT_STRATEGY, LABEL_ANALYSIS_STATUS),
          "Total number of canary failures");

  /** Buckets of {@link #CANARY_DURATION}: Prometheus' default buckets, as in Flagger. */
  public static final List<Double> CANARY_DURATION_BUCKETS =
      List.of(.005, .01, .025, .05, .1, .25, .5, 1.0, 2.5, 5.0, 10.0);

  /** Values of the {@code outcome} label of {@link #CONTROLLER_CALLS}. */
  public static final String OUTCOME_SUCCESS = "success";

  public static final String OUTCOME_ERROR = "error";

  /** Values of the {@code sink} label of {@link #CONTROLLER_EVENTS_DROPPED}. */
  public static final String SINK_KUBERNETES = "kubernetes";

  public static final String SINK_WEBHOOK = "webhook";

  /** Values of the {@code reason} label of {@link #CONTROLLER_EVENTS_DROPPED}. */
  public static final String REASON_QUEUE_FULL = "queue_full";

  public static final String REASON_SPAM_FILTER = "spam_filter";

  /**
   * Calls the controller makes to other systems. {@code target} is one of {@link CallTarget}'s
   * values; {@code outcome} is {@code success} or {@code error}.
   */
  public static final MetricName CONTROLLER_CALLS =
      new MetricName(
          "flagger_controller_calls_total",
          COUNTER,
          List.of(LABEL_TARGET, LABEL_OUTCOME),
          "Calls from the controller to the Kubernetes API, metric providers, webhooks and notifiers");

  /**
   * The {@code type} label of {@link #CONTROLLER_METRICS_PROVIDER_CALLS}: a MetricTemplate type.
   */
  public static final String LABEL_TYPE = "type";

  /**
   * Queries and availability checks sent to metric providers, by MetricTemplate {@code type}
   * ({@code prometheus}, {@code datadog}, ...) and {@code outcome}: the provider health the
   * controller dashboard shows. The same calls are also in {@link #CONTROLLER_CALLS} as {@code
   * metrics_provider}.
   */
  public static final MetricName CONTROLLER_METRICS_PROVIDER_CALLS =
      new MetricName(
          "flagger_controller_metrics_provider_calls_total",
          COUNTER,
          List.of(LABEL_TYPE, LABEL_OUTCOME),
          "Calls from the controller to metric providers, by provider type");

  public static final MetricName CONTROLLER_CALL_DURATION =
      new MetricName(
          "flagger_controller_call_duration_seconds",
          HISTOGRAM,
          List.of(LABEL_TARGET),
          "Duration of the controller's calls to other systems");
  public static final MetricName CONTROLLER_JOBS =
      new MetricName(
          "flagger_controller_jobs", GAUGE, List.of(), "Canary jobs currently scheduled");
  public static final MetricName CONTROLLER_TICKS_IN_FLIGHT =
      new MetricName(
          "flagger_controller_ticks_in_flight", GAUGE, List.of(), "Canary ticks running right now");
  public static final MetricName CONTROLLER_TICK_LATENESS =
      new MetricName(
          "flagger_controller_tick_lateness_seconds",
          HISTOGRAM,
          List.of(),
          "How late a canary tick started compared to its schedule");
  public static final MetricName CONTROLLER_TICK_DURATION =
      new MetricName(
          "flagger_controller_tick_duration_seconds",
          HISTOGRAM,
          List.of(),
          "How long a canary tick took, from its start to its end");
  public static final MetricName CONTROLLER_EVENT_QUEUE_DEPTH =
      new MetricName(
          "flagger_controller_event_webhook_queue_depth",
          GAUGE,
          List.of(),
          "Event webhook posts waiting to be sent");
  public static final MetricName CONTROLLER_KUBE_EVENT_QUEUE_DEPTH =
      new MetricName(
          "flagger_controller_kube_event_queue_depth",
          GAUGE,
          List.of(),
          "Kubernetes Events waiting to be created");
  public static final MetricName CONTROLLER_CANARIES_WAITING =
      new MetricName(
          "flagger_controller_canaries_waiting",
          GAUGE,
          List.of(),
          "Canaries whose new revision waits for a release slot (max-concurrent-canaries)");
  public static final MetricName CONTROLLER_SHARD =
      new MetricName(
          "flagger_controller_shard",
          GAUGE,
          List.of("index", "count"),
          "1, labelled with this controller's shard of the Canaries (index 0 of count 1: all)");
  public static final MetricName CONTROLLER_EVENTS_DROPPED =
      new MetricName(
          "flagger_controller_events_dropped_total",
          COUNTER,
          List.of(LABEL_SINK, LABEL_REASON),
          "Events dropped, by sink (kubernetes, webhook) and reason (queue_full, spam_filter)");
  public static final MetricName CONTROLLER_CPU_SECONDS =
      new MetricName(
          "flagger_controller_process_cpu_seconds_total",
          COUNTER,
          List.of(),
          "CPU time used by the controller process");
  public static final MetricName CONTROLLER_HEAP_USED =
      new MetricName(
          "flagger_controller_jvm_heap_used_bytes",
          GAUGE,
          List.of(),
          "Heap memory used by the controller JVM");
  public static final MetricName CONTROLLER_RSS =
      new MetricName(
          "flagger_controller_process_resident_memory_bytes",
          GAUGE,
          List.of(),
          "Resident memory of the controller process");
  public static final MetricName CONTROLLER_KUBE_REQUESTS_IN_FLIGHT =
      new MetricName(
          "flagger_controller_kube_requests_in_flight",
          GAUGE,
          List.of(),
          "Kubernetes API requests sent and not yet answered (at most 64)");
  public static final MetricName CONTROLLER_KUBE_THROTTLE =
      new MetricName(
          "flagger_controller_kube_client_throttle_seconds",
          HISTOGRAM,
          List.of(),
          "Time Kubernetes API calls waited for the client's rate limiter (kubeconfig-qps)");

  /** Buckets of the controller's call-duration and tick-lateness histograms, in seconds. */
  public static final List<Double> CONTROLLER_LATENCY_BUCKETS =
      List.of(.001, .005, .01, .025, .05, .1, .25, .5, 1.0, 2.5, 5.0, 10.0);

  /** Load tester families (flagger-loadtester). */
  public static final MetricName LOADTESTER_REQUESTS =
      new MetricName(
          "flagger_loadtester_requests_total",
          COUNTER,
          List.of("canary", "code"),
          "Requests sent by the built-in load generator, by canary and status code");

  public static final MetricName LOADTESTER_LATENCY =
      new MetricName(
          "flagger_loadtester_request_duration_seconds",
          HISTOGRAM,
          List.of("canary"),
          "Latency of requests sent by the built-in load generator");

  public static final MetricName LOADTESTER_AUTH_DISABLED =
      new MetricName(
          "flagger_loadtester_auth_disabled",
          GAUGE,
          List.of(),
          "1 when the load tester runs without authentication (loadtester.auth.disabled), else 0");

  /** Every family of the controller, in the order Flagger documents them. */
  public static final List<MetricName> CONTROLLER =
      List.of(
          INFO,
          CANARY_TOTAL,
          CANARY_STATUS,
          CANARY_WEIGHT,
          CANARY_DURATION,
          CANARY_METRIC_ANALYSIS,
          CANARY_SUCCESSES,
          CANARY_FAILURES,
          CANARY_JUDGE_SCORE,
          CANARY_JUDGE_VERDICT,
          CONTROLLER_CALLS,
          CONTROLLER_METRICS_PROVIDER_CALLS,
          CONTROLLER_CALL_DURATION,
          CONTROLLER_JOBS,
          CONTROLLER_TICKS_IN_FLIGHT,
          CONTROLLER_TICK_LATENESS,
          CONTROLLER_TICK_DURATION,
          CONTROLLER_EVENT_QUEUE_DEPTH,
          CONTROLLER_KUBE_EVENT_QUEUE_DEPTH,
          CONTROLLER_EVENTS_DROPPED,
          CONTROLLER_CPU_SECONDS,
          CONTROLLER_HEAP_USED,
          CONTROLLER_RSS,
          CONTROLLER_KUBE_REQUESTS_IN_FLIGHT,
          CONTROLLER_KUBE_THROTTLE,
          CONTROLLER_CANARIES_WAITING,
          CONTROLLER_SHARD);

  /** Values of the {@code target} label of {@link #CONTROLLER_CALLS}. */
  public enum CallTarget {
    KUBERNETES("kubernetes"),
    METRICS_PROVIDER("metrics_provider"),
    WEBHOOK("webhook"),
    NOTIFIER("notifier");

    private final String label;

    CallTarget(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}
