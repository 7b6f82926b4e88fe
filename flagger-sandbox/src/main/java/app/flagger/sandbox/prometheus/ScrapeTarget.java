package app.flagger.sandbox.prometheus;

import java.net.URI;

/**
 * One scrape job of the sandbox's Prometheus.
 *
 * @param job the job name
 * @param address {@code host:port}, loopback
 * @param metricsPath the path, usually {@code /metrics}
 */
public record ScrapeTarget(String job, String address, String metricsPath) {
  public ScrapeTarget {
    if (!job.matches("[a-zA-Z_][a-zA-Z0-9_-]*")) {
      throw new IllegalArgumentException(
          "scrape job name must be [a-zA-Z_][a-zA-Z0-9_-]*, got " + job);
    }
    if (!address.matches("[a-zA-Z0-9.\\-]+:\\d+")) {
      throw new IllegalArgumentException("scrape address must be host:port, got " + address);
    }
    if (!metricsPath.startsWith("/")) {
      throw new IllegalArgumentException("metrics path must start with /, got " + metricsPath);
    }
  }

  /** A target from a URL such as {@code http://127.0.0.1:8080/metrics}. */
  public static ScrapeTarget of(String job, String url) {
    URI u = URI.create(url);
    return new ScrapeTarget(
        job,
        u.getHost() + ":" + u.getPort(),
        u.getPath() == null || u.getPath().isEmpty() ? "/metrics" : u.getPath());
  }
}
