package app.flagger.loadtester.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Results collected by one load generator thread; not thread-safe. Latencies are kept in
 * microseconds in an HdrHistogram (3 significant digits, up to one hour).
 */
final class LoadStats {
  static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

  /** Distinct error messages kept; further ones are counted under {@link #OTHER_ERRORS}. */
  static final int MAX_ERROR_KINDS = 64;

  static final String OTHER_ERRORS = "other errors";

  final Histogram latency = new Histogram(MAX_MICROS, 3);
  final long[] statusCounts = new long[1000];
  final Map<String, Long> errors = new TreeMap<>();
  long bytes;

  void success(int status, long latencyNanos, long bodyBytes) {
    statusCounts[status]++;
    record(latencyNanos);
    bytes += bodyBytes;
  }

  void error(String message, long latencyNanos) {
    countError(message, 1);
    record(latencyNanos);
  }

  private void countError(String message, long n) {
    String key =
        errors.containsKey(message) || errors.size() < MAX_ERROR_KINDS ? message : OTHER_ERRORS;
    errors.merge(key, n, Long::sum);
  }

  private void record(long latencyNanos) {
    long micros = Math.max(1, Math.min(MAX_MICROS, latencyNanos / 1000));
    latency.recordValue(micros);
  }

  void addTo(LoadStats total) {
    total.latency.add(latency);
    for (int i = 0; i < statusCounts.length; i++) {
      total.statusCounts[i] += statusCounts[i];
    }
    errors.forEach(total::countError);
    total.bytes += bytes;
  }
}
