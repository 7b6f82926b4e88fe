package app.flagger.grafana;

import app.flagger.grafana.provision.ProvisioningState;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The service's own metrics at {@code /metrics}:
 *
 * <ul>
 *   <li>{@code flagger_grafana_provisioning_runs_total{outcome="ready|waiting|failed"}}
 *   <li>{@code flagger_grafana_ready} 1 when the last run provisioned everything
 *   <li>{@code flagger_grafana_dashboards} dashboards in place after the last successful run
 *   <li>{@code flagger_grafana_consecutive_failures}
 *   <li>{@code flagger_grafana_last_success_timestamp_seconds}
 * </ul>
 *
 * Registered after the web server is built (Helidon creates the registry then); runs that complete
 * before {@link #register} are not counted.
 */
public final class ProvisioningMetrics implements Consumer<ProvisioningState> {
  static final String PREFIX = "flagger_grafana_";
  static final String RUNS = PREFIX + "provisioning_runs";

  private final Map<String, Counter> runs = new ConcurrentHashMap<>();
  private volatile MeterRegistry registry;
  private volatile int dashboards;
  private volatile int failures;
  private volatile double lastSuccess;

  /** Registers the gauges; {@code state} is read on every scrape. */
  public void register(MeterRegistry meters, Supplier<ProvisioningState> state) {
    meters.meters(m -> m.id().name().startsWith(PREFIX)).forEach(meters::remove);
    meters.getOrCreate(
        Gauge.builder(
                PREFIX + "ready", () -> state.get() instanceof ProvisioningState.Ready ? 1 : 0)
            .description("1 when the datasource and every dashboard are provisioned"));
    meters.getOrCreate(
        Gauge.builder(PREFIX + "dashboards", () -> dashboards)
            .description("Dashboards in place after the last successful provisioning run"));
    meters.getOrCreate(
        Gauge.builder(PREFIX + "consecutive_failures", () -> failures)
            .description("Provisioning runs that failed since the last success"));
    meters.getOrCreate(
        Gauge.builder(PREFIX + "last_success_timestamp_seconds", () -> lastSuccess)
            .description("Unix time of the last successful provisioning run"));
    runs.clear();
    this.registry = meters;
  }

  @Override
  public void accept(ProvisioningState state) {
    switch (state) {
      case ProvisioningState.Ready r -> {
        dashboards = r.report().dashboards().size();
        failures = 0;
        lastSuccess = r.at().toEpochMilli() / 1000.0;
      }
      case ProvisioningState.Waiting w -> failures = w.attempt();
      case ProvisioningState.Failed f -> failures = f.attempt();
      case ProvisioningState.Starting s -> {}
    }
    MeterRegistry meters = registry;
    if (meters != null) {
      runs.computeIfAbsent(
              state.phase(),
              phase ->
                  meters.getOrCreate(
                      Counter.builder(RUNS)
                          .tags(List.of(Tag.create("outcome", phase)))
                          .description("Provisioning runs by outcome")))
          .increment();
    }
  }
}
