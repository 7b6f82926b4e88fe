package app.flagger.loadtester.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Writes a {@link GhzResult} as ghz's default {@code summary} output: Summary (Count, Total,
 * Slowest, Fastest, Average, Requests/sec), Response time histogram, Latency distribution, Status
 * code distribution and Error distribution, with ghz's units, bars and column padding. Rows of the
 * two distributions are ordered by count (ghz prints them in Go's random map order).
 */
public final class GhzReport {
  private static final int[] PERCENTILES = {10, 25, 50, 75, 90, 95, 99};
  private static final int BUCKETS = 10;
  private static final String BAR = "∎";

  private GhzReport() {}

  /**
   * @param name the run's {@code --name}, or {@code null}
   */
  public static String format(GhzResult r, String name) {
    StringBuilder b = new StringBuilder("\nSummary:\n");
    if (name != null) {
      b.append("  Name:\t\t").append(name).append('\n');
    }
    b.append("  Count:\t").append(r.count()).append('\n');
    b.append("  Total:\t").append(nanoUnit(r.total())).append('\n');
    b.append("  Slowest:\t").append(nanoUnit(r.slowest())).append('\n');
    b.append("  Fastest:\t").append(nanoUnit(r.fastest())).append('\n');
    b.append("  Average:\t").append(nanoUnit(r.average())).append('\n');
    b.append("  Requests/sec:\t")
        .append(String.format(Locale.ROOT, "%4.2f", r.requestsPerSecond()))
        .append("\n\n");
    b.append("Response time histogram:\n").append(histogram(r)).append('\n');
    b.append("Latency distribution:");
    if (r.reported().getTotalCount() > 0) {
      for (int p : PERCENTILES) {
        long micros = r.reported().getValueAtPercentile(p);
        b.append("\n  ")
            .append(p)
            .append(" % in ")
            .append(nanoUnit(Duration.ofNanos(micros * 1000)))
            .append(' ');
      }
    }
    b.append("\n\n");
    if (!r.codes().isEmpty()) {
      b.append("Status code distribution:\n");
      b.append(table(r.codes(), (k, v) -> List.of("  [" + k + "]", v + " responses")));
    }
    b.append('\n');
    if (!r.errors().isEmpty()) {
      b.append("Error distribution:\n");
      b.append(table(r.errors(), (k, v) -> List.of("  [" + v + "]", k)));
    }
    b.append('\n');
    return b.toString();
  }

  /** ghz's {@code formatNanoUnit}: {@code 850 ns}, {@code 1.25 ms}, {@code 10.00 s}. */
  static String nanoUnit(Duration d) {
    long v = d.toNanos();
    if (v < 10_000) {
      return v + " ns";
    }
    double ms = v / 1e6;
    if (ms < 1000) {
      return String.format(Locale.ROOT, "%4.2f ms", ms);
    }
    return String.format(Locale.ROOT, "%4.2f s", ms / 1000);
  }

  /** Eleven marks from the fastest to the slowest reported call, with bars of up to 40. */
  private static String histogram(GhzResult r) {
    if (r.reported().getTotalCount() == 0) {
      return "";
    }
    double fastest = r.fastest().toNanos() / 1e9;
    double slowest = r.slowest().toNanos() / 1e9;
    double[] marks = new double[BUCKETS + 1];
    long[] counts = new long[BUCKETS + 1];
    double size = (slowest - fastest) / BUCKETS;
    for (int i = 0; i < BUCKETS; i++) {
      marks[i] = fastest + size * i;
    }
    marks[BUCKETS] = slowest;
    int bi = 0;
    for (HistogramIterationValue v : r.reported().recordedValues()) {
      double latency = v.getValueIteratedTo() / 1e6;
      while (bi < BUCKETS && latency > marks[bi]) {
        bi++;
      }
      counts[bi] += v.getCountAtValueIteratedTo();
    }
    long maxCount = 0;
    for (long c : counts) {
      maxCount = Math.max(maxCount, c);
    }
    int markLen = mark(slowest).length();
    int countLen = Long.toString(maxCount).length();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i <= BUCKETS; i++) {
      String m = mark(marks[i]);
      String c = Long.toString(counts[i]);
      int bar = maxCount == 0 ? 0 : (int) ((counts[i] * 40 + maxCount / 2) / maxCount);
      b.append("  ")
          .append(m)
          .append(" ".repeat(Math.max(0, markLen - m.length())))
          .append(" [")
          .append(c)
          .append(']')
          .append(" ".repeat(countLen - c.length()))
          .append(" |")
          .append(BAR.repeat(bar))
          .append('\n');
    }
    return b.toString();
  }

  private static String mark(double seconds) {
    return String.format(Locale.ROOT, "%.3f", seconds * 1000);
  }

  /**
   * Rows of two tab-terminated cells laid out as Go's {@code tabwriter} with padding 3 lays them
   * out: each column as wide as its widest cell plus three spaces.
   */
  private static String table(
      Map<String, Long> rows, java.util.function.BiFunction<String, Long, List<String>> cells) {
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(rows.entrySet());
    sorted.sort(
        Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry.comparingByKey()));
    List<List<String>> table =
        sorted.stream().map(e -> cells.apply(e.getKey(), e.getValue())).toList();
    int[] widths = new int[2];
    for (List<String> row : table) {
      for (int i = 0; i < 2; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length() + 3);
      }
    }
    StringBuilder b = new StringBuilder();
    for (List<String> row : table) {
      for (int i = 0; i < 2; i++) {
        b.append(row.get(i)).append(" ".repeat(widths[i] - row.get(i).length()));
      }
      b.append('\n');
    }
    return b.toString();
  }
}
