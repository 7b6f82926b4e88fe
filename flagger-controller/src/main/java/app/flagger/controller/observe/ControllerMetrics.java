package app.flagger.controller.observe;

import app.flagger.model.metrics.FlaggerMetrics;
import app.flagger.model.metrics.FlaggerMetrics.CallTarget;
import app.flagger.model.metrics.MetricName;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The controller's own RED and USE signals: rate, errors and duration of its calls to the
 * Kubernetes API, metric providers, webhooks and notifiers; scheduled jobs, ticks in flight, tick
 * lateness, event-webhook queue depth, CPU and memory.
 */
public final class ControllerMetrics {
  private final MeterRegistry registry;
  private final AtomicInteger jobs = new AtomicInteger();
  private final AtomicInteger ticksInFlight = new AtomicInteger();
  private final Timer lateness;

  public ControllerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.lateness = timer(FlaggerMetrics.CONTROLLER_TICK_LATENESS, List.of());
    gauge(FlaggerMetrics.CONTROLLER_JOBS, jobs::get);
    gauge(FlaggerMetrics.CONTROLLER_TICKS_IN_FLIGHT, ticksInFlight::get);
    gauge(FlaggerMetrics.CONTROLLER_HEAP_USED, ProcessStats::heapUsedBytes);
    gauge(FlaggerMetrics.CONTROLLER_RSS, ProcessStats::residentBytes);
    registry.getOrCreate(
        FunctionalCounter.builder(
                FlaggerMetrics.CONTROLLER_CPU_SECONDS.registrationName(),
                ManagementFactory.getRuntimeMXBean(),
                x -> ProcessStats.cpuNanos() / 1_000_000_000L)
            .description(FlaggerMetrics.CONTROLLER_CPU_SECONDS.help()));
  }

  /** A registry-less instance for tests and tools. */
  public static ControllerMetrics noop() {
    return new ControllerMetrics(MeterRegistry.create());
  }

  /** Runs a call to another system and records its outcome and duration. */
  public <T> T call(CallTarget target, Supplier<T> call) {
    long start = System.nanoTime();
    boolean ok = false;
    try {
      T result = call.get();
      ok = true;
      return result;
    } finally {
      recordCall(target, Duration.ofNanos(System.nanoTime() - start), ok);
    }
  }

  /** Records one call to another system. */
  public void recordCall(CallTarget target, Duration took, boolean ok) {
    countCall(target, ok);
    timer(
            FlaggerMetrics.CONTROLLER_CALL_DURATION,
            List.of(Tag.create(FlaggerMetrics.LABEL_TARGET, target.label())))
        .record(took);
  }

  /** Counts one call whose duration is unknown. */
  public void countCall(CallTarget target, boolean ok) {
    registry
        .getOrCreate(
            Counter.builder(FlaggerMetrics.CONTROLLER_CALLS.registrationName())
                .description(FlaggerMetrics.CONTROLLER_CALLS.help())
                .tags(
                    List.of(
                        Tag.create(FlaggerMetrics.LABEL_TARGET, target.label()),
                        Tag.create(FlaggerMetrics.LABEL_OUTCOME, ok ? "success" : "error"))))
        .increment();
  }

  /** The number of scheduled canary jobs. */
  public AtomicInteger jobs() {
    return jobs;
  }

  /** The number of ticks running right now. */
  public AtomicInteger ticksInFlight() {
    return ticksInFlight;
  }

  /** Records how late a tick started. */
  public void recordLateness(Duration late) {
    lateness.record(late.isNegative() ? Duration.ZERO : late);
  }

  /** Publishes the event-webhook queue depth. */
  public void eventQueueDepth(IntSupplier depth) {
    gauge(FlaggerMetrics.CONTROLLER_EVENT_QUEUE_DEPTH, depth::getAsInt);
  }

  private Timer timer(MetricName family, List<Tag> tags) {
    return registry.getOrCreate(
        Timer.builder(family.registrationName())
            .description(family.help())
            .tags(tags)
            .percentiles(new double[0])
            .buckets(Buckets.durations(FlaggerMetrics.CONTROLLER_LATENCY_BUCKETS)));
  }

  private <N extends Number> void gauge(MetricName family, Supplier<N> value) {
    Meters.removeSame(registry, family.registrationName(), java.util.Map.of());
    registry.getOrCreate(
        Gauge.builder(family.registrationName(), value).description(family.help()));
  }
}
