package app.flagger.controller.observe;

import app.flagger.model.metric.MetricProviderType;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The controller's own RED and USE signals: rate, errors and duration of its calls to the
 * Kubernetes API, metric providers, webhooks and notifiers; scheduled jobs, ticks in flight, tick
 * lateness, the event queues (depth, drops), CPU and memory.
 */
public final class ControllerMetrics {
  private final MeterRegistry registry;
  private final AtomicInteger jobs = new AtomicInteger();
  private final AtomicInteger ticksInFlight = new AtomicInteger();
  private final Timer lateness;
  private final Timer tickDuration;
  private final Timer throttle;
  private final Map<CallTarget, CallMeters> calls = new EnumMap<>(CallTarget.class);

  public ControllerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.lateness = timer(FlaggerMetrics.CONTROLLER_TICK_LATENESS, List.of());
    this.tickDuration = timer(FlaggerMetrics.CONTROLLER_TICK_DURATION, List.of());
    this.throttle = timer(FlaggerMetrics.CONTROLLER_KUBE_THROTTLE, List.of());
    for (CallTarget target : CallTarget.values()) {
      calls.put(target, callMeters(target));
    }
    // every provider type's series exist from start-up, at zero, as the call targets' do
    for (MetricProviderType type : MetricProviderType.values()) {
      providerCounter(type.value(), FlaggerMetrics.OUTCOME_SUCCESS);
      providerCounter(type.value(), FlaggerMetrics.OUTCOME_ERROR);
    }
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

  /** Records one call to another system: the counter by outcome and the duration histogram. */
  public void recordCall(CallTarget target, Duration took, boolean ok) {
    CallMeters m = calls.get(target);
    (ok ? m.success : m.error).increment();
    m.duration.record(took.isNegative() ? Duration.ZERO : took);
  }

  /**
   * Records one call to a metric provider of MetricTemplate {@code type}: in {@link
   * FlaggerMetrics#CONTROLLER_CALLS} as {@code metrics_provider}, and by type in {@link
   * FlaggerMetrics#CONTROLLER_METRICS_PROVIDER_CALLS}.
   */
  public void recordProviderCall(String type, Duration took, boolean ok) {
    recordCall(CallTarget.METRICS_PROVIDER, took, ok);
    providerCounter(type, ok ? FlaggerMetrics.OUTCOME_SUCCESS : FlaggerMetrics.OUTCOME_ERROR)
        .increment();
  }

  private Counter providerCounter(String type, String outcome) {
    return registry.getOrCreate(
        Counter.builder(FlaggerMetrics.CONTROLLER_METRICS_PROVIDER_CALLS.registrationName())
            .description(FlaggerMetrics.CONTROLLER_METRICS_PROVIDER_CALLS.help())
            .tags(
                List.of(
                    Tag.create(FlaggerMetrics.LABEL_TYPE, type),
                    Tag.create(FlaggerMetrics.LABEL_OUTCOME, outcome))));
  }

  /** Counts one call whose duration is unknown (a connection that failed before it was sent). */
  public void countCall(CallTarget target, boolean ok) {
    CallMeters m = calls.get(target);
    (ok ? m.success : m.error).increment();
  }

  /** Records how long a Kubernetes API call waited for the client's rate limiter. */
  public void recordThrottle(Duration waited) {
    throttle.record(waited.isNegative() ? Duration.ZERO : waited);
  }

  /** The number of scheduled canary jobs. */
  public AtomicInteger jobs() {
    return jobs;
  }

  /** The number of ticks running right now. */
  public AtomicInteger ticksInFlight() {
    return ticksInFlight;
  }

  /** Records how long a canary tick took; its count is the number of ticks finished. */
  public void recordTick(Duration took) {
    tickDuration.record(took.isNegative() ? Duration.ZERO : took);
  }

  /** Records how late a tick started. */
  public void recordLateness(Duration late) {
    lateness.record(late.isNegative() ? Duration.ZERO : late);
  }

  /** Publishes the event-webhook queue depth. */
  public void eventQueueDepth(IntSupplier depth) {
    gauge(FlaggerMetrics.CONTROLLER_EVENT_QUEUE_DEPTH, depth::getAsInt);
  }

  /** {@code flagger_controller_shard{index,count} 1}: which Canaries this controller handles. */
  public void shard(int index, int count) {
    String name = FlaggerMetrics.CONTROLLER_SHARD.registrationName();
    List.copyOf(registry.meters()).stream()
        .filter(m -> m.id().name().equals(name))
        .forEach(registry::remove);
    registry.getOrCreate(
        Gauge.builder(name, () -> 1)
            .description(FlaggerMetrics.CONTROLLER_SHARD.help())
            .tags(
                List.of(
                    Tag.create("index", String.valueOf(index)),
                    Tag.create("count", String.valueOf(count)))));
  }

  /** Publishes the number of Canaries waiting for a release slot. */
  public void canariesWaiting(IntSupplier waiting) {
    gauge(FlaggerMetrics.CONTROLLER_CANARIES_WAITING, waiting::getAsInt);
  }

  /** Publishes the number of Kubernetes API requests sent and not yet answered. */
  public void kubeRequestsInFlight(IntSupplier inFlight) {
    gauge(FlaggerMetrics.CONTROLLER_KUBE_REQUESTS_IN_FLIGHT, inFlight::getAsInt);
  }

  /** Publishes the depth of the queue of Kubernetes Events waiting to be created. */
  public void kubeEventQueueDepth(IntSupplier depth) {
    gauge(FlaggerMetrics.CONTROLLER_KUBE_EVENT_QUEUE_DEPTH, depth::getAsInt);
  }

  /**
   * The counter of events a sink dropped; {@code sink} is {@link FlaggerMetrics#SINK_KUBERNETES} or
   * {@link FlaggerMetrics#SINK_WEBHOOK}, {@code reason} is {@link FlaggerMetrics#REASON_QUEUE_FULL}
   * or {@link FlaggerMetrics#REASON_SPAM_FILTER}.
   */
  public Runnable eventDropped(String sink, String reason) {
    Counter dropped =
        registry.getOrCreate(
            Counter.builder(FlaggerMetrics.CONTROLLER_EVENTS_DROPPED.registrationName())
                .description(FlaggerMetrics.CONTROLLER_EVENTS_DROPPED.help())
                .tags(
                    List.of(
                        Tag.create(FlaggerMetrics.LABEL_SINK, sink),
                        Tag.create(FlaggerMetrics.LABEL_REASON, reason))));
    return dropped::increment;
  }

  private CallMeters callMeters(CallTarget target) {
    Tag t = Tag.create(FlaggerMetrics.LABEL_TARGET, target.label());
    return new CallMeters(
        counter(t, FlaggerMetrics.OUTCOME_SUCCESS),
        counter(t, FlaggerMetrics.OUTCOME_ERROR),
        timer(FlaggerMetrics.CONTROLLER_CALL_DURATION, List.of(t)));
  }

  private Counter counter(Tag target, String outcome) {
    return registry.getOrCreate(
        Counter.builder(FlaggerMetrics.CONTROLLER_CALLS.registrationName())
            .description(FlaggerMetrics.CONTROLLER_CALLS.help())
            .tags(List.of(target, Tag.create(FlaggerMetrics.LABEL_OUTCOME, outcome))));
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

  /** The meters of one call target, looked up once instead of per call. */
  private record CallMeters(Counter success, Counter error, Timer duration) {}
}
