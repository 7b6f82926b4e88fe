package app.flagger.controller.bench;

import app.flagger.controller.observe.ProcessStats;
import app.flagger.model.metrics.FlaggerMetrics;
import app.flagger.model.metrics.FlaggerMetrics.CallTarget;
import io.helidon.metrics.api.Bucket;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Timer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Snapshots of the controller's meters and both processes' CPU, and the BENCH line between two. */
final class BenchWindow {
  private final MeterRegistry registry;
  private final CountingJobScheduler jobs;

  BenchWindow(MeterRegistry registry, CountingJobScheduler jobs) {
    this.registry = registry;
    this.jobs = jobs;
  }

  record Snapshot(
      long nanos,
      double cpuSeconds,
      double peerCpuSeconds,
      long peerRss,
      long calls,
      long errors,
      double throttleSeconds,
      long throttled,
      Map<Double, Long> lateness,
      Map<Double, Long> throttle,
      Map<Double, Long> callDuration,
      long callsTimed,
      long ticks,
      long finished) {}

  Snapshot snapshot(BenchPeer peer) {
    Timer lateness = timer(FlaggerMetrics.CONTROLLER_TICK_LATENESS.registrationName(), Map.of());
    Timer throttle = timer(FlaggerMetrics.CONTROLLER_KUBE_THROTTLE.registrationName(), Map.of());
    Timer calls =
        timer(
            FlaggerMetrics.CONTROLLER_CALL_DURATION.registrationName(),
            Map.of(FlaggerMetrics.LABEL_TARGET, CallTarget.KUBERNETES.label()));
    return new Snapshot(
        System.nanoTime(),
        ProcessStats.cpuNanos() / 1e9,
        ProcStats.cpuSeconds(peer.handle()),
        ProcStats.rssBytes(peer.handle().pid()),
        count(FlaggerMetrics.OUTCOME_SUCCESS) + count(FlaggerMetrics.OUTCOME_ERROR),
        count(FlaggerMetrics.OUTCOME_ERROR),
        throttle.totalTime(TimeUnit.NANOSECONDS) / 1e9,
        throttle.count(),
        buckets(lateness),
        buckets(throttle),
        buckets(calls),
        calls.count(),
        lateness.count(),
        jobs.finished());
  }

  void print(Snapshot a, Snapshot b, int canaries, int seconds) {
    long ticks = b.ticks() - a.ticks();
    double cpu = b.cpuSeconds() - a.cpuSeconds();
    double wall = (b.nanos() - a.nanos()) / 1e9;
    double peerCpu = b.peerCpuSeconds() - a.peerCpuSeconds();
    long calls = b.calls() - a.calls();
    System.out.printf(
        Locale.ROOT,
        "BENCH canaries=%d seconds=%d ticks=%d expectedTicks=%d ticksFinished=%d latenessP50<=%ss latenessP99<=%ss"
            + " cpuSecondsPer1000Ticks=%.2f cpuCores=%.3f rssMB=%d heapMB=%d"
            + " apiCallsPerTick=%.1f apiErrors=%d apiCallP99<=%ss throttleP99<=%ss"
            + " peerApiServerCpuCores=%.3f peerApiServerRssMB=%d load=%s%n",
        canaries,
        seconds,
        ticks,
        canaries * seconds / 10,
        b.finished() - a.finished(),
        percentile(a.lateness(), b.lateness(), ticks, 0.50),
        percentile(a.lateness(), b.lateness(), ticks, 0.99),
        cpu * 1000.0 / Math.max(1, b.finished() - a.finished()),
        cpu / wall,
        ProcessStats.residentBytes() >> 20,
        ProcessStats.heapUsedBytes() >> 20,
        calls / (double) Math.max(1, b.finished() - a.finished()),
        b.errors() - a.errors(),
        percentile(a.callDuration(), b.callDuration(), b.callsTimed() - a.callsTimed(), 0.99),
        percentile(a.throttle(), b.throttle(), b.throttled() - a.throttled(), 0.99),
        peerCpu / wall,
        b.peerRss() >> 20,
        ProcStats.loadAverage());
  }

  private long count(String outcome) {
    return find(
            FlaggerMetrics.CONTROLLER_CALLS.registrationName(),
            Map.of(
                FlaggerMetrics.LABEL_TARGET,
                CallTarget.KUBERNETES.label(),
                FlaggerMetrics.LABEL_OUTCOME,
                outcome))
        .map(m -> ((Counter) m).count())
        .orElse(0L);
  }

  private Timer timer(String name, Map<String, String> tags) {
    return (Timer) find(name, tags).orElseThrow(() -> new IllegalStateException("no " + name));
  }

  private Optional<Meter> find(String name, Map<String, String> tags) {
    for (Meter m : registry.meters()) {
      Map<String, String> t = new HashMap<>(m.id().tagsMap());
      t.remove("scope");
      if (m.id().name().equals(name) && t.equals(tags)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  static Map<Double, Long> buckets(Timer t) {
    Map<Double, Long> m = new TreeMap<>();
    for (Bucket b : t.snapshot().histogramCounts()) {
      m.put(b.boundary(TimeUnit.SECONDS), b.count());
    }
    return m;
  }

  /**
   * The upper bound of the (cumulative) bucket holding quantile {@code q} of the {@code total}
   * samples taken in between; {@code +Inf} beyond the last bucket.
   */
  static String percentile(
      Map<Double, Long> before, Map<Double, Long> after, long total, double q) {
    if (total <= 0) {
      return "n/a";
    }
    for (var e : after.entrySet()) {
      long n = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      if (n >= q * total) {
        return String.format(Locale.ROOT, "%.3f", e.getKey());
      }
    }
    return "+Inf";
  }
}
