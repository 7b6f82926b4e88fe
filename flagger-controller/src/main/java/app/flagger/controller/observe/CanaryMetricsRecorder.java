package app.flagger.controller.observe;

import static app.flagger.model.metrics.FlaggerMetrics.LABEL_MESH_PROVIDER;
import static app.flagger.model.metrics.FlaggerMetrics.LABEL_NAMESPACE;
import static app.flagger.model.metrics.FlaggerMetrics.LABEL_VERSION;

import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.DeploymentStrategy;
import app.flagger.model.metrics.FlaggerMetrics;
import app.flagger.model.metrics.MetricName;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes Flagger's {@code flagger_*} families with Flagger's names and labels (Flagger's {@code
 * metrics.Recorder}). {@code flagger_info} and {@code flagger_canary_total} are Micrometer gauges;
 * the per-Canary families are kept in {@link CanarySeries}, which {@code /metrics} renders itself
 * ({@link MetricsEndpoint}). Unlike Flagger (#1029) the series of a deleted Canary are removed by
 * {@link #removeCanary}. The {@code name} and {@code workload} labels carry the target's name, as
 * in Flagger.
 */
public final class CanaryMetricsRecorder {
  private final MeterRegistry registry;
  private final CanarySeries series;

  /**
   * Gauge values by series. Static on purpose: Helidon's registries in one JVM share their meters
   * (MeterRegistry.create() hands out views of one registry, and a removed meter can be handed back
   * by getOrCreate), so the value of a series must not depend on which recorder registered it.
   */
  private static final Map<String, AtomicLong> VALUES = new ConcurrentHashMap<>();

  private final Set<String> registered = ConcurrentHashMap.newKeySet();

  /**
   * A recorder on {@code registry} and the JVM's per-Canary series ({@link CanarySeries#shared}).
   */
  public CanaryMetricsRecorder(MeterRegistry registry) {
    this(registry, CanarySeries.shared());
  }

  /** A recorder on {@code registry} and {@code series}. */
  public CanaryMetricsRecorder(MeterRegistry registry, CanarySeries series) {
    this.registry = registry;
    this.series = series;
  }

  /** The per-Canary series this recorder writes. */
  public CanarySeries series() {
    return series;
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
    series.setStatus(orEmpty(target), orEmpty(namespace), phase.statusMetricValue());
  }

  /** {@code flagger_canary_weight{workload,namespace}} for the primary and the canary. */
  public void setWeight(String target, String namespace, int primary, int canary) {
    String t = orEmpty(target);
    series.setWeight(t, orEmpty(namespace), t + "-primary", primary);
    series.setWeight(t, orEmpty(namespace), t, canary);
  }

  /** {@code flagger_canary_duration_seconds{name,namespace}}: time spent in one analysis tick. */
  public void setDuration(String target, String namespace, Duration d) {
    series.recordDuration(orEmpty(target), orEmpty(namespace), d.toNanos());
  }

  /** {@code flagger_canary_metric_analysis{name,namespace,metric}}: a check's last value. */
  public void setAnalysis(String target, String namespace, String metric, double value) {
    series.setAnalysis(orEmpty(target), orEmpty(namespace), orEmpty(metric), value);
  }

  /** {@code flagger_canary_judge_score{name,namespace}}: the last judgement's score, 0 to 100. */
  public void setJudgeScore(String target, String namespace, double score) {
    series.setJudgeScore(orEmpty(target), orEmpty(namespace), score);
  }

  /**
   * {@code flagger_canary_judge_verdict{name,namespace,metric}}: 1 the metric passed, -1 it failed
   * (high or low), 0 no data or error.
   */
  public void setJudgeVerdict(String target, String namespace, String metric, double verdict) {
    series.setJudgeVerdict(orEmpty(target), orEmpty(namespace), orEmpty(metric), verdict);
  }

  /** {@code flagger_canary_successes_total}. */
  public void incSuccesses(
      String target, String namespace, DeploymentStrategy strategy, boolean skipped) {
    series.increment(
        CanarySeries.Family.SUCCESSES,
        orEmpty(target),
        orEmpty(namespace),
        strategy.value(),
        skipped ? "skipped" : "completed");
  }

  /** {@code flagger_canary_failures_total}. */
  public void incFailures(String target, String namespace, DeploymentStrategy strategy) {
    series.increment(
        CanarySeries.Family.FAILURES,
        orEmpty(target),
        orEmpty(namespace),
        strategy.value(),
        "completed");
  }

  /**
   * Removes every per-canary series of the Canary targeting {@code target} in {@code namespace}.
   */
  public void removeCanary(String target, String namespace) {
    series.remove(orEmpty(target), orEmpty(namespace));
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

  private static Map<String, String> toMap(List<Tag> tags) {
    Map<String, String> m = new java.util.HashMap<>();
    tags.forEach(t -> m.put(t.key(), t.value()));
    return m;
  }

  private static Tag tag(String k, String v) {
    return Tag.create(k, orEmpty(v));
  }

  private static String orEmpty(String v) {
    return v == null ? "" : v;
  }
}
