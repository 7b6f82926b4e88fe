package app.flagger.controller.support;

import app.flagger.controller.observe.CanarySeries;
import app.flagger.model.metrics.FlaggerMetrics;
import app.flagger.model.metrics.FlaggerMetrics.CallTarget;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Timer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads the controller's call meters back from a registry, as a scrape would, counting only what
 * happened since the reader was made: Helidon's registries share their meters within a JVM, so
 * earlier tests' calls are already in them.
 */
public final class RegistryReader {
  private final MeterRegistry registry;
  private final Map<String, Double> baseline = new HashMap<>();

  public RegistryReader(MeterRegistry registry) {
    this.registry = registry;
    for (Meter m : registry.meters()) {
      baseline.put(key(m, "count"), count(m));
      if (m instanceof Timer t) {
        baseline.put(key(m, "sum"), t.totalTime(TimeUnit.NANOSECONDS) / 1e9);
      }
    }
  }

  /** {@code flagger_controller_calls_total{target, outcome}} since the reader was made. */
  public long calls(CallTarget target, String outcome) {
    return (long)
        delta(
            FlaggerMetrics.CONTROLLER_CALLS.registrationName(),
            Map.of(
                FlaggerMetrics.LABEL_TARGET, target.label(), FlaggerMetrics.LABEL_OUTCOME, outcome),
            "count");
  }

  /**
   * {@code flagger_controller_metrics_provider_calls_total{type, outcome}} since the reader was
   * made.
   */
  public long providerCalls(String type, String outcome) {
    return (long)
        delta(
            FlaggerMetrics.CONTROLLER_METRICS_PROVIDER_CALLS.registrationName(),
            Map.of(FlaggerMetrics.LABEL_TYPE, type, FlaggerMetrics.LABEL_OUTCOME, outcome),
            "count");
  }

  /** New samples of {@code flagger_controller_call_duration_seconds{target}}. */
  public long durations(CallTarget target) {
    return (long)
        delta(
            FlaggerMetrics.CONTROLLER_CALL_DURATION.registrationName(),
            Map.of(FlaggerMetrics.LABEL_TARGET, target.label()),
            "count");
  }

  /** New samples of a label-less timer. */
  public long timer(String name) {
    return (long) delta(name, Map.of(), "count");
  }

  /** Seconds newly recorded by a label-less timer. */
  public double timerSeconds(String name) {
    return delta(name, Map.of(), "sum");
  }

  /** The current value of an untagged gauge; 0 when it is not registered. */
  public double gauge(String name) {
    return find(name, Map.of())
        .map(m -> m instanceof io.helidon.metrics.api.Gauge<?> g ? g.value().doubleValue() : 0.0)
        .orElse(0.0);
  }

  /**
   * The current value of the gauge {@code name} with {@code tags} (scope aside); NaN when absent.
   * The per-Canary families are read from {@link CanarySeries#shared()}, where the recorder keeps
   * them.
   */
  public double gauge(String name, Map<String, String> tags) {
    if (CanarySeries.holds(name)) {
      return CanarySeries.shared().value(name, tags);
    }
    return find(name, tags)
        .map(
            m ->
                m instanceof io.helidon.metrics.api.Gauge<?> g
                    ? g.value().doubleValue()
                    : Double.NaN)
        .orElse(Double.NaN);
  }

  private double delta(String name, Map<String, String> tags, String what) {
    return find(name, tags)
        .map(
            m -> {
              double now =
                  what.equals("sum") ? ((Timer) m).totalTime(TimeUnit.NANOSECONDS) / 1e9 : count(m);
              return now - baseline.getOrDefault(key(m, what), 0.0);
            })
        .orElse(0.0);
  }

  private static double count(Meter m) {
    if (m instanceof Counter c) {
      return c.count();
    }
    if (m instanceof Timer t) {
      return t.count();
    }
    return 0;
  }

  private static String key(Meter m, String what) {
    return m.id().name() + m.id().tagsMap() + what;
  }

  private Optional<Meter> find(String name, Map<String, String> tags) {
    for (Meter m : registry.meters()) {
      if (!m.id().name().equals(name)) {
        continue;
      }
      Map<String, String> t = new HashMap<>(m.id().tagsMap());
      t.remove("scope");
      if (t.equals(tags)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
