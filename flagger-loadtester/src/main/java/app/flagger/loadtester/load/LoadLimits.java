package app.flagger.loadtester.load;

import java.time.Duration;
import java.util.Locale;

/**
 * Bounds on what one load run may ask for, and the connection budget that all running runs share
 * (the {@code loadtester.limits} settings). A run over a bound is refused before it starts, with a
 * message naming the flag as the caller wrote it and the setting that bounds it.
 *
 * @param maxConnections connections of one run ({@code hey -c}, {@code wrk -c}, {@code
 *     concurrency})
 * @param maxRate requests per second of one run in the open model ({@code hey -q × -c}, {@code wrk
 *     -R}, {@code rate})
 * @param maxDuration how long one run may last ({@code hey -z}, {@code wrk -d}, {@code duration})
 * @param maxRequests requests of one run ({@code hey -n}, {@code requests})
 * @param connectionBudget connections of all running runs together
 */
public record LoadLimits(
    int maxConnections,
    double maxRate,
    Duration maxDuration,
    long maxRequests,
    int connectionBudget) {

  /** The defaults: 1,000 connections, 10,000 req/s, 1 h, 10 million requests, 4,000 in all. */
  public static final LoadLimits DEFAULT =
      new LoadLimits(1000, 10_000, Duration.ofHours(1), 10_000_000, 4000);

  /**
   * Heap one generator connection may take at most: about 45 KB on the JDK client ({@code
   * https://}, HTTP/2: TLS engine and buffers, measured with requests in flight), about 2 KB on the
   * event loops (plain {@code http://}). The budget is checked against the heap with this figure.
   */
  public static final long HEAP_PER_CONNECTION = 48 * 1024;

  public LoadLimits {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("loadtester.limits.max-connections: must be at least 1");
    }
    if (!(maxRate > 0) || Double.isInfinite(maxRate)) {
      throw new IllegalArgumentException("loadtester.limits.max-rate: must be a positive number");
    }
    if (maxDuration == null || maxDuration.isZero() || maxDuration.isNegative()) {
      throw new IllegalArgumentException("loadtester.limits.max-duration: must be positive");
    }
    if (maxRequests < 1) {
      throw new IllegalArgumentException("loadtester.limits.max-requests: must be at least 1");
    }
    if (connectionBudget < maxConnections) {
      throw new IllegalArgumentException(
          "loadtester.limits.connection-budget: must be at least loadtester.limits.max-connections ("
              + maxConnections
              + "), got "
              + connectionBudget);
    }
  }

  /** How the caller named each bounded setting: the tool's flags or the load task's fields. */
  public enum Flags {
    HEY("hey -c", "hey -q", "hey -z", "hey -n"),
    WRK("wrk -c", "wrk -R", "wrk -d", "wrk requests"),
    LOAD("concurrency", "rate", "duration", "requests");

    private final String connections;
    private final String rate;
    private final String duration;
    private final String requests;

    Flags(String connections, String rate, String duration, String requests) {
      this.connections = connections;
      this.rate = rate;
      this.duration = duration;
      this.requests = requests;
    }
  }

  /**
   * Checks one run against the per-run bounds.
   *
   * @throws IllegalArgumentException naming the flag, its value and the limit, e.g. {@code hey -c
   *     20000: at most 1000 connections (loadtester limit max-connections)}
   */
  public void check(LoadSpec spec, Flags flags) {
    if (spec.concurrency() > maxConnections) {
      throw new IllegalArgumentException(
          flags.connections
              + " "
              + spec.concurrency()
              + ": at most "
              + maxConnections
              + " connections (loadtester limit max-connections)");
    }
    if (spec.rate() > maxRate) {
      String asked =
          flags == Flags.HEY
              ? "hey -q "
                  + number(spec.rate() / spec.concurrency())
                  + " -c "
                  + spec.concurrency()
                  + " ("
                  + number(spec.rate())
                  + " requests per second in all)"
              : flags.rate + " " + number(spec.rate());
      throw new IllegalArgumentException(
          asked
              + ": at most "
              + number(maxRate)
              + " requests per second (loadtester limit max-rate)");
    }
    if (spec.duration().compareTo(maxDuration) > 0) {
      throw new IllegalArgumentException(
          flags.duration
              + " "
              + GoDuration.format(spec.duration())
              + ": at most "
              + GoDuration.format(maxDuration)
              + " (loadtester limit max-duration)");
    }
    if (spec.requests() > maxRequests) {
      throw new IllegalArgumentException(
          flags.requests
              + " "
              + spec.requests()
              + ": at most "
              + maxRequests
              + " requests (loadtester limit max-requests)");
    }
  }

  /**
   * The budget that fits {@code maxHeapBytes}: connections may take at most three quarters of the
   * heap at {@link #HEAP_PER_CONNECTION} each; the rest is left to the server and the histograms.
   */
  public int budgetFor(long maxHeapBytes) {
    long fits = maxHeapBytes / 4 * 3 / HEAP_PER_CONNECTION;
    return (int) Math.min(connectionBudget, Math.max(fits, 0));
  }

  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15
        ? Long.toString((long) d)
        : String.format(Locale.ROOT, "%.2f", d);
  }
}
