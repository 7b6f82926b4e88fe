package app.flagger.controller.bench;

import app.flagger.model.metrics.FlaggerMetrics;
import app.flagger.model.metrics.FlaggerMetrics.CallTarget;
import java.util.Locale;
import java.util.Map;

/**
 * Snapshots of the controller process, taken from outside (a scrape of its {@code /metrics}, its
 * CPU and RSS from procfs) together with the API server process's CPU and RSS, and the numbers
 * between two of them.
 */
final class BenchWindow {
  private static final String LATENESS = FlaggerMetrics.CONTROLLER_TICK_LATENESS.name();
  private static final String THROTTLE = FlaggerMetrics.CONTROLLER_KUBE_THROTTLE.name();
  private static final String CALL_DURATION = FlaggerMetrics.CONTROLLER_CALL_DURATION.name();
  private static final Map<String, String> KUBE =
      Map.of(FlaggerMetrics.LABEL_TARGET, CallTarget.KUBERNETES.label());

  private BenchWindow() {}

  /**
   * One point in time.
   *
   * @param metrics the controller's {@code /metrics} ({@link PromText#EMPTY} before it serves)
   */
  record Snapshot(
      long nanos,
      double cpuSeconds,
      long rss,
      long rssPeak,
      double peerCpuSeconds,
      long peerRss,
      PromText metrics) {

    static Snapshot of(ControllerProcess controller, BenchPeer peer, PromText metrics) {
      long pid = controller.pid();
      long peerPid = peer.handle().pid();
      return new Snapshot(
          System.nanoTime(),
          ProcStats.cpuSeconds(pid),
          ProcStats.rssBytes(pid),
          ProcStats.rssPeakBytes(pid),
          ProcStats.cpuSeconds(peerPid),
          ProcStats.rssBytes(peerPid),
          metrics);
    }

    /** Ticks started: a worker records each one's lateness (firings due together make one). */
    long ticks() {
      return (long) metrics.sum(LATENESS + "_count", Map.of());
    }

    /** Ticks finished: the count of the tick-duration histogram. */
    long ticksFinished() {
      return (long)
          metrics.sum(FlaggerMetrics.CONTROLLER_TICK_DURATION.name() + "_count", Map.of());
    }

    long ticksInFlight() {
      return (long) metrics.sum(FlaggerMetrics.CONTROLLER_TICKS_IN_FLIGHT.name(), Map.of());
    }

    long calls() {
      return (long) metrics.sum(FlaggerMetrics.CONTROLLER_CALLS.name(), KUBE);
    }

    long errors() {
      return (long)
          metrics.sum(
              FlaggerMetrics.CONTROLLER_CALLS.name(),
              Map.of(
                  FlaggerMetrics.LABEL_TARGET,
                  CallTarget.KUBERNETES.label(),
                  FlaggerMetrics.LABEL_OUTCOME,
                  FlaggerMetrics.OUTCOME_ERROR));
    }

    double throttleSeconds() {
      return metrics.sum(THROTTLE + "_sum", Map.of());
    }

    long heapUsed() {
      return (long) metrics.sum(FlaggerMetrics.CONTROLLER_HEAP_USED.name(), Map.of());
    }
  }

  /**
   * Ticks that finished between {@code a} and {@code b} ({@code flagger_controller_tick_duration_
   * seconds_count}). Firings ({@code ticks}) can exceed them by the ticks still running and by
   * firings skipped because the Canary's previous tick still ran.
   */
  static long finished(Snapshot a, Snapshot b) {
    return b.ticksFinished() - a.ticksFinished();
  }

  /** The {@code BENCH} line of the steady window from {@code a} to {@code b}. */
  static String line(Snapshot a, Snapshot b, int canaries, int seconds, long inFlightMax) {
    long ticks = b.ticks() - a.ticks();
    long finished = finished(a, b);
    double cpu = b.cpuSeconds() - a.cpuSeconds();
    double wall = (b.nanos() - a.nanos()) / 1e9;
    long calls = b.calls() - a.calls();
    long callsTimed = count(a, b, CALL_DURATION, KUBE);
    return String.format(
        Locale.ROOT,
        "BENCH canaries=%d seconds=%d ticks=%d expectedTicks=%d ticksFinished=%d"
            + " ticksInFlightMax=%d latenessP50<=%ss latenessP99<=%ss"
            + " cpuSecondsPer1000Ticks=%s cpuCores=%.3f rssMB=%d rssPeakMB=%d heapMB=%d"
            + " apiCallsPerTick=%s apiErrors=%d apiCallP99<=%ss throttleP99<=%ss"
            + " peerApiServerCpuCores=%.3f peerApiServerRssMB=%d load=%s",
        canaries,
        seconds,
        ticks,
        canaries * seconds / 10,
        finished,
        inFlightMax,
        percentile(a, b, LATENESS, Map.of(), ticks, 0.50),
        percentile(a, b, LATENESS, Map.of(), ticks, 0.99),
        perTick(cpu * 1000.0, finished, "%.2f"),
        cpu / wall,
        b.rss() >> 20,
        b.rssPeak() >> 20,
        b.heapUsed() >> 20,
        perTick(calls, finished, "%.1f"),
        b.errors() - a.errors(),
        percentile(a, b, CALL_DURATION, KUBE, callsTimed, 0.99),
        percentile(a, b, THROTTLE, Map.of(), count(a, b, THROTTLE, Map.of()), 0.99),
        (b.peerCpuSeconds() - a.peerCpuSeconds()) / wall,
        b.peerRss() >> 20,
        ProcStats.loadAverage());
  }

  /** {@code value / ticks} in {@code format}; {@code n/a} without a finished tick. */
  private static String perTick(double value, long ticks, String format) {
    return ticks <= 0 ? "n/a" : String.format(Locale.ROOT, format, value / ticks);
  }

  private static long count(Snapshot a, Snapshot b, String family, Map<String, String> match) {
    return (long)
        (b.metrics().sum(family + "_count", match) - a.metrics().sum(family + "_count", match));
  }

  private static String percentile(
      Snapshot a, Snapshot b, String family, Map<String, String> match, long total, double q) {
    return percentile(
        a.metrics().buckets(family, match), b.metrics().buckets(family, match), total, q);
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
        return e.getKey().isInfinite() ? "+Inf" : String.format(Locale.ROOT, "%.3f", e.getKey());
      }
    }
    return "+Inf";
  }
}
