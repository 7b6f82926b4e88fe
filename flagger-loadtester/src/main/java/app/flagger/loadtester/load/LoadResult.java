package app.flagger.loadtester.load;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one load run.
 *
 * @param statusCounts responses by HTTP status code
 * @param errors transport errors (connect refused, timeout, reset) by message
 * @param latency latency histogram in microseconds; in the open model measured from each request's
 *     intended start, so it is corrected for coordinated omission
 * @param elapsed wall time of the run
 * @param bytes response body bytes read
 * @param cancelled true when the run was stopped early (shutdown or task timeout)
 */
public record LoadResult(
    Map<Integer, Long> statusCounts,
    Map<String, Long> errors,
    Histogram latency,
    Duration elapsed,
    long bytes,
    boolean cancelled) {

  static LoadResult from(LoadStats s, Duration elapsed, boolean cancelled) {
    Map<Integer, Long> codes = new TreeMap<>();
    for (int i = 0; i < s.statusCounts.length; i++) {
      if (s.statusCounts[i] > 0) {
        codes.put(i, s.statusCounts[i]);
      }
    }
    return new LoadResult(
        Map.copyOf(codes), Map.copyOf(s.errors), s.latency, elapsed, s.bytes, cancelled);
  }

  /** Responses plus transport errors. */
  public long total() {
    return responses() + transportErrors();
  }

  public long responses() {
    return statusCounts.values().stream().mapToLong(Long::longValue).sum();
  }

  public long transportErrors() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Failed requests as Flagger's request-success-rate counts them: 5xx plus transport errors. */
  public long failed() {
    long fiveXx =
        statusCounts.entrySet().stream()
            .filter(e -> e.getKey() >= 500)
            .mapToLong(Map.Entry::getValue)
            .sum();
    return fiveXx + transportErrors();
  }

  /** Failed requests in percent of all requests (0 when nothing was sent). */
  public double errorRatePercent() {
    long total = total();
    return total == 0 ? 0 : 100.0 * failed() / total;
  }

  /** Requests per second over the run. */
  public double requestsPerSecond() {
    double secs = elapsed.toNanos() / 1e9;
    return secs <= 0 ? 0 : total() / secs;
  }

  /** Latency at {@code percentile} (0–100). */
  public Duration percentile(double percentile) {
    return latency.getTotalCount() == 0
        ? Duration.ZERO
        : Duration.ofNanos(latency.getValueAtPercentile(percentile) * 1000);
  }
}
