package app.flagger.loadtester.grpc;

import io.grpc.Status;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Calls counted by a ghz run, from the transport's threads (synchronized). Latencies are kept in
 * microseconds in HdrHistograms (3 significant digits, up to one hour): all calls, for the
 * pass/fail criteria, and the ones ghz reports (OK calls, or all with {@code --count-errors}).
 */
final class GhzStats {
  private static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

  private final boolean countErrors;
  private long toSkip;
  private final Histogram all = new Histogram(MAX_MICROS, 3);
  private final Histogram reported = new Histogram(MAX_MICROS, 3);
  private final Map<String, Long> codes = new HashMap<>();
  private final Map<String, Long> errors = new HashMap<>();
  private long count;
  private long okCount;
  private long latencySumNanos;
  private long fastestNanos = Long.MAX_VALUE;
  private long slowestNanos;

  GhzStats(boolean countErrors, long skipFirst) {
    this.countErrors = countErrors;
    this.toSkip = skipFirst;
  }

  synchronized void record(Status status, long latencyNanos) {
    if (toSkip > 0) {
      toSkip--;
      return;
    }
    count++;
    latencySumNanos += latencyNanos;
    long micros = Math.max(1, Math.min(MAX_MICROS, latencyNanos / 1000));
    all.recordValue(micros);
    codes.merge(GrpcCodes.name(status.getCode()), 1L, Long::sum);
    if (status.isOk()) {
      okCount++;
    } else {
      errors.merge(GrpcCodes.error(status), 1L, Long::sum);
    }
    if (status.isOk() || countErrors) {
      reported.recordValue(micros);
      fastestNanos = Math.min(fastestNanos, latencyNanos);
      slowestNanos = Math.max(slowestNanos, latencyNanos);
    }
  }

  synchronized long count() {
    return count;
  }

  synchronized GhzResult result(java.time.Duration total, boolean cancelled) {
    return new GhzResult(
        count,
        okCount,
        total,
        java.time.Duration.ofNanos(count == 0 ? 0 : latencySumNanos / count),
        java.time.Duration.ofNanos(reported.getTotalCount() == 0 ? 0 : fastestNanos),
        java.time.Duration.ofNanos(slowestNanos),
        reported.copy(),
        all.copy(),
        Map.copyOf(codes),
        Map.copyOf(errors),
        cancelled);
  }
}
