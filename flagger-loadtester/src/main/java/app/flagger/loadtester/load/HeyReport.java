package app.flagger.loadtester.load;

import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Renders a {@link LoadResult} the way {@code hey} prints its summary. */
public final class HeyReport {
  private static final double[] PERCENTILES = {10, 25, 50, 75, 90, 95, 99};

  private HeyReport() {}

  public static String format(LoadResult r) {
    StringBuilder sb = new StringBuilder(1024);
    Histogram h = r.latency();
    long total = r.total();
    sb.append("\nSummary:\n");
    line(sb, "  Total:\t%.4f secs\n", r.elapsed().toNanos() / 1e9);
    if (h.getTotalCount() > 0) {
      line(sb, "  Slowest:\t%.4f secs\n", secs(h.getMaxValue()));
      line(sb, "  Fastest:\t%.4f secs\n", secs(h.getMinValue()));
      line(sb, "  Average:\t%.4f secs\n", h.getMean() / 1e6);
    }
    line(sb, "  Requests/sec:\t%.4f\n", r.requestsPerSecond());
    sb.append('\n');
    line(sb, "  Total data:\t%d bytes\n", r.bytes());
    line(sb, "  Size/request:\t%d bytes\n", r.responses() == 0 ? 0 : r.bytes() / r.responses());
    if (h.getTotalCount() > 0) {
      histogram(sb, h);
      sb.append("\nLatency distribution:\n");
      for (double p : PERCENTILES) {
        line(sb, "  %d%% in %.4f secs\n", (int) p, secs(h.getValueAtPercentile(p)));
      }
    }
    sb.append("\nStatus code distribution:\n");
    for (Map.Entry<Integer, Long> e : r.statusCounts().entrySet()) {
      line(sb, "  [%d]\t%d responses\n", e.getKey(), e.getValue());
    }
    if (!r.errors().isEmpty()) {
      sb.append("\nError distribution:\n");
      for (Map.Entry<String, Long> e : r.errors().entrySet()) {
        line(sb, "  [%d]\t%s\n", e.getValue(), e.getKey());
      }
    }
    if (r.cancelled()) {
      sb.append("\nRun stopped early (cancelled).\n");
    }
    line(sb, "\nTotal requests: %d\n", total);
    return sb.toString();
  }

  private static void histogram(StringBuilder sb, Histogram h) {
    sb.append("\nResponse time histogram:\n");
    long min = h.getMinValue();
    long max = h.getMaxValue();
    int buckets = 10;
    double width = Math.max(1.0, (max - min) / (double) buckets);
    long[] counts = new long[buckets + 1];
    for (var v : h.recordedValues()) {
      int b = (int) Math.min(buckets, (v.getValueIteratedTo() - min) / width);
      counts[b] += v.getCountAtValueIteratedTo();
    }
    long most = 1;
    for (long c : counts) {
      most = Math.max(most, c);
    }
    for (int i = 0; i <= buckets; i++) {
      String bar = "■".repeat((int) (counts[i] * 40 / most));
      line(sb, "  %.3f [%d]\t|%s\n", secs((long) (min + i * width)), counts[i], bar);
    }
  }

  private static double secs(long micros) {
    return micros / 1e6;
  }

  private static void line(StringBuilder sb, String format, Object... args) {
    sb.append(String.format(Locale.ROOT, format, args));
  }
}
