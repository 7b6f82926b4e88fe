package app.flagger.loadtester.grpc;

import app.flagger.loadtester.load.LoadResult;
import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one ghz run, with ghz's figures.
 *
 * @param count completed calls, OK or not (ghz's Count)
 * @param ok calls that ended with status OK
 * @param total wall time of the run
 * @param average mean latency of all calls
 * @param fastest fastest reported call (OK only unless {@code --count-errors})
 * @param slowest slowest reported call
 * @param reported latencies of the reported calls, in microseconds
 * @param all latencies of all calls, in microseconds
 * @param codes calls by status code name ({@code OK}, {@code Unavailable})
 * @param errors failed calls by error text
 * @param cancelled stopped early by the task timeout or a shutdown
 */
public record GhzResult(
    long count,
    long ok,
    Duration total,
    Duration average,
    Duration fastest,
    Duration slowest,
    Histogram reported,
    Histogram all,
    Map<String, Long> codes,
    Map<String, Long> errors,
    boolean cancelled) {

  /** Calls per second over the run. */
  public double requestsPerSecond() {
    double secs = total.toNanos() / 1e9;
    return secs <= 0 ? 0 : count / secs;
  }

  /**
   * The run as the HTTP load checks see one, so that the same criteria apply: OK calls are
   * successes (as HTTP 200), every other status code is a failed request.
   */
  public LoadResult asLoadResult() {
    Map<Integer, Long> success = ok == 0 ? Map.of() : Map.of(200, ok);
    Map<String, Long> failed =
        codes.entrySet().stream()
            .filter(e -> !e.getKey().equals("OK"))
            .collect(
                java.util.stream.Collectors.toUnmodifiableMap(
                    Map.Entry::getKey, Map.Entry::getValue));
    return new LoadResult(success, failed, all, total, 0, cancelled);
  }
}
