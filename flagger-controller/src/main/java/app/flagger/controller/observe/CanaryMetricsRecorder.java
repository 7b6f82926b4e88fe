package app.flagger.controller.observe;

import static app.flagger.model.metrics.FlaggerMetrics.LABEL_ANALYSIS_STATUS;
import static app.flagger.model.metrics.FlaggerMetrics.LABEL_DEPLOYMENT_STRATEGY;
import static app.flagger.model.metrics.FlaggerMetrics.LABEL_MESH_PROVIDER;
import static app.flagger.model.metrics.FlaggerMetrics.LABEL_METRIC;
import static app.flagger.model.metrics.FlaggerMetrics.LABEL_NAME;
import static app.flagger.model.metrics.FlaggerMetrics.LABEL_NAMESPACE;
import static app.flagger.model.metrics.FlaggerMetrics.LABEL_VERSION;
import static app.flagger.model.metrics.FlaggerMetrics.LABEL_WORKLOAD;

import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.DeploymentStrategy;
import app.flagger.model.metrics.FlaggerMetrics;
import app.flagger.model.metrics.MetricName;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes Flagger's eight {@code flagger_*} families with Flagger's names and labels (Flagger's
 * {@code metrics.Recorder}). Unlike Flagger (#1029) the series of a deleted Canary are removed by
 * {@link #removeCanary}. The {@code name} and {@code workload} labels carry the target's name, as
 * in Flagger.
 */
public final class CanaryMetricsRecorder {
  private static final Set<String> PER_CANARY =
      Set.of(
          FlaggerMetrics.CANARY_STATUS.registrationName(),
          FlaggerMetrics.CANARY_WEIGHT.registrationName(),
          FlaggerMetrics.CANARY_DURATION.registrationName(),
          FlaggerMetrics.CANARY_METRIC_ANALYSIS.registrationName(),
          FlaggerMetrics.CANARY_JUDGE_SCORE.registrationName(),
          FlaggerMetrics.CANARY_JUDGE_VERDICT.registrationName(),
          FlaggerMetrics.CANARY_SUCCESSES.registrationName(),
          FlaggerMetrics.CANARY_FAILURES.registrationName());

  private final MeterRegistry registry;

  /**
   * Gauge values by series. Static on purpose: Helidon's registries in one JVM share their meters
   * (MeterRegistry.create() hands out views of one registry, and a removed meter can be handed back
   * by getOrCreate), so the value of a series must not depend on which recorder registered it.
   */
  private static final Map<String, AtomicLong> VALUES = new ConcurrentHashMap<>();

  private final Set<String> registered = ConcurrentHashMap.newKeySet();

  public CanaryMetricsRecorder(MeterRegistry registry) {
    this.registry = registry;
  }

  /** {@code flagger_info{version,mesh_provider} 1}. */
  public void setInfo(String version, String meshProvider) {
    gauge(
        FlaggerMetrics.INFO,
        List.of(tag(LABEL_VERSION, version), tag(LABEL_MESH_PROVIDER, meshProvider)),
        1);
  }

  /** {@code flagger_canary_total{namespace}}: Canaries per namespace. */
  public void setTotal(String namespace, int count) {
    gauge(FlaggerMetrics.CANARY_TOTAL, List.of(tag(LABEL_NAMESPACE, namespace)), count);
  }

  /** {@code flagger_canary_status{name,namespace}}: 0 Progressing, 2 Failed, 1 otherwise. */
  public void setStatus(String target, String namespace, CanaryPhase phase) {
    gauge(FlaggerMetrics.CANARY_STATUS, nameTags(target, namespace), phase.statusMetricValue());
  }

  /** {@code flagger_canary_weight{workload,namespace}} for the primary and the canary. */
  public void setWeight(String target, String namespace, int primary, int canary) {
    gauge(
        FlaggerMetrics.CANARY_WEIGHT,
        List.of(tag(LABEL_WORKLOAD, target + "-primary"), tag(LABEL_NAMESPACE, namespace)),
        primary);
    gauge(
        FlaggerMetrics.CANARY_WEIGHT,
        List.of(tag(LABEL_WORKLOAD, target), tag(LABEL_NAMESPACE, namespace)),
        canary);
  }

  /** {@code flagger_canary_duration_seconds{name,namespace}}: time spent in one analysis tick. */
  public void setDuration(String target, String namespace, Duration d) {
    Timer timer =
        registry.getOrCreate(
            Timer.builder(FlaggerMetrics.CANARY_DURATION.registrationName())
                .description(FlaggerMetrics.CANARY_DURATION.help())
                .tags(nameTags(target, namespace))
                .percentiles(new double[0])
                .buckets(Buckets.durations(FlaggerMetrics.CANARY_DURATION_BUCKETS)));
    timer.record(d);
  }

  /** {@code flagger_canary_metric_analysis{name,namespace,metric}}: a check's last value. */
  public void setAnalysis(String target, String namespace, String metric, double value) {
    List<Tag> tags = new ArrayList<>(nameTags(target, namespace));
    tags.add(tag(LABEL_METRIC, metric));
    gauge(FlaggerMetrics.CANARY_METRIC_ANALYSIS, tags, value);
  }

  /** {@code flagger_canary_judge_score{name,namespace}}: the last judgement's score, 0 to 100. */
  public void setJudgeScore(String target, String namespace, double score) {
    gauge(FlaggerMetrics.CANARY_JUDGE_SCORE, nameTags(target, namespace), score);
  }

  /**
   * {@code flagger_canary_judge_verdict{name,namespace,metric}}: 1 the metric passed, -1 it failed
   * (high or low), 0 no data or error.
   */
  public void setJudgeVerdict(String target, String namespace, String metric, double verdict) {
    List<Tag> tags = new ArrayList<>(nameTags(target, namespace));
    tags.add(tag(LABEL_METRIC, metric));
    gauge(FlaggerMetrics.CANARY_JUDGE_VERDICT, tags, verdict);
  }

  /** {@code flagger_canary_successes_total}. */
  public void incSuccesses(
      String target, String namespace, DeploymentStrategy strategy, boolean skipped) {
    counter(FlaggerMetrics.CANARY_SUCCESSES, target, namespace, strategy, skipped).increment();
  }

  /** {@code flagger_canary_failures_total}. */
  public void incFailures(String target, String namespace, DeploymentStrategy strategy) {
    counter(FlaggerMetrics.CANARY_FAILURES, target, namespace, strategy, false).increment();
  }

  /**
   * Removes every per-canary series of the Canary targeting {@code target} in {@code namespace}.
   */
  public void removeCanary(String target, String namespace) {
    Set<String> workloads = Set.of(target, target + "-primary");
    for (Meter m : List.copyOf(registry.meters())) {
      if (!PER_CANARY.contains(m.id().name())) {
        continue;
      }
      Map<String, String> t = m.id().tagsMap();
      boolean mine =
          namespace.equals(t.get(LABEL_NAMESPACE))
              && (target.equals(t.get(LABEL_NAME)) || workloads.contains(t.get(LABEL_WORKLOAD)));
      if (mine) {
        registry.remove(m);
        registered.remove(key(m.id().name(), withoutScope(m.id().tagsMap())));
      }
    }
  }

  private Counter counter(
      MetricName family,
      String target,
      String namespace,
      DeploymentStrategy strategy,
      boolean skipped) {
    List<Tag> tags = new ArrayList<>(nameTags(target, namespace));
    tags.add(tag(LABEL_DEPLOYMENT_STRATEGY, strategy.value()));
    tags.add(tag(LABEL_ANALYSIS_STATUS, skipped ? "skipped" : "completed"));
    return registry.getOrCreate(
        Counter.builder(family.registrationName()).description(family.help()).tags(tags));
  }

  private void gauge(MetricName family, List<Tag> tags, double value) {
    String name = family.registrationName();
    String key = key(name, toMap(tags));
    AtomicLong holder = VALUES.computeIfAbsent(key, k -> new AtomicLong());
    holder.set(Double.doubleToLongBits(value));
    if (registered.add(key)) {
      registry.getOrCreate(
          Gauge.builder(name, holder, a -> Double.longBitsToDouble(a.get()))
              .description(family.help())
              .tags(tags));
    }
  }

  private static String key(String name, Map<String, String> tags) {
    return name + new TreeMap<>(tags);
  }

  private static Map<String, String> withoutScope(Map<String, String> tags) {
    Map<String, String> m = new java.util.HashMap<>(tags);
    m.remove("scope");
    return m;
  }

  private static Map<String, String> toMap(List<Tag> tags) {
    Map<String, String> m = new java.util.HashMap<>();
    tags.forEach(t -> m.put(t.key(), t.value()));
    return m;
  }

  private static List<Tag> nameTags(String target, String namespace) {
    return List.of(tag(LABEL_NAME, target), tag(LABEL_NAMESPACE, namespace));
  }

  private static Tag tag(String k, String v) {
    return Tag.create(k, v == null ? "" : v);
  }
}
