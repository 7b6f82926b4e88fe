package app.flagger.sandbox.podinfo;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * podinfo's {@code http_request_duration_seconds} histogram ({@code method}, {@code path}, {@code
 * status}), which Flagger's builtin checks for the {@code kubernetes} provider read: the request
 * count by status is its {@code _count}, the P99 comes from its buckets.
 */
final class RequestDurations {
  static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private record Key(String method, String path, int status) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      return toString().compareTo(o.toString());
    }
  }

  private static final class Histogram {
    final long[] counts = new long[BUCKETS.length];
    long count;
    double sum;

    synchronized void observe(double seconds) {
      for (int i = 0; i < BUCKETS.length; i++) {
        if (seconds <= BUCKETS[i]) {
          counts[i]++;
        }
      }
      count++;
      sum += seconds;
    }
  }

  private final Map<Key, Histogram> series = new ConcurrentSkipListMap<>();

  void observe(String method, String path, int status, double seconds) {
    series
        .computeIfAbsent(new Key(method, route(path), status), k -> new Histogram())
        .observe(seconds);
  }

  /** The route a path belongs to, so the label has few values. */
  static String route(String path) {
    if (path.startsWith("/status/")) {
      return "/status/{code}";
    }
    if (path.startsWith("/delay/")) {
      return "/delay/{seconds}";
    }
    return switch (path) {
      case "/", "/version", "/healthz", "/readyz", "/token", "/metrics" -> path;
      default -> "other";
    };
  }

  void render(StringBuilder out) {
    out.append("# HELP http_request_duration_seconds Seconds spent serving HTTP requests.\n")
        .append("# TYPE http_request_duration_seconds histogram\n");
    series.forEach(
        (k, h) -> {
          String labels =
              "method=\"%s\",path=\"%s\",status=\"%d\""
                  .formatted(k.method().replace("\"", ""), k.path(), k.status());
          synchronized (h) {
            for (int i = 0; i < BUCKETS.length; i++) {
              out.append("http_request_duration_seconds_bucket{")
                  .append(labels)
                  .append(",le=\"")
                  .append(BUCKETS[i])
                  .append("\"} ")
                  .append(h.counts[i])
                  .append('\n');
            }
            out.append("http_request_duration_seconds_bucket{")
                .append(labels)
                .append(",le=\"+Inf\"} ")
                .append(h.count)
                .append('\n');
            out.append("http_request_duration_seconds_sum{")
                .append(labels)
                .append("} ")
                .append(String.format(Locale.ROOT, "%.6f", h.sum))
                .append('\n');
            out.append("http_request_duration_seconds_count{")
                .append(labels)
                .append("} ")
                .append(h.count)
                .append('\n');
          }
        });
  }
}
