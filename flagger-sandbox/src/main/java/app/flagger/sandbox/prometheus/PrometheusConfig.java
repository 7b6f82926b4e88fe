package app.flagger.sandbox.prometheus;

import java.time.Duration;
import java.util.List;

/** Writes the sandbox Prometheus's configuration file. */
final class PrometheusConfig {
  private PrometheusConfig() {}

  /** The file the pods' targets are discovered from (Prometheus's file-based discovery). */
  static final String POD_TARGETS = "pods.json";

  static String yaml(Duration scrapeInterval, List<ScrapeTarget> targets) {
    String interval = scrapeInterval.toMillis() + "ms";
    StringBuilder out =
        new StringBuilder()
            .append("# Written by the Flagger sandbox; every target is on loopback.\n")
            .append("global:\n")
            .append("  scrape_interval: ")
            .append(interval)
            .append('\n')
            .append("  scrape_timeout: ")
            .append(interval)
            .append('\n')
            .append("  evaluation_interval: ")
            .append(interval)
            .append('\n')
            .append("scrape_configs:\n");
    for (ScrapeTarget t : targets) {
      out.append("  - job_name: '")
          .append(t.job())
          .append("'\n")
          .append("    metrics_path: '")
          .append(t.metricsPath())
          .append("'\n")
          .append("    static_configs:\n")
          .append("      - targets: ['")
          .append(t.address())
          .append("']\n");
    }
    out.append("  - job_name: 'kubernetes-pods'\n")
        .append("    metrics_path: '/metrics'\n")
        .append("    file_sd_configs:\n")
        .append("      - files: ['")
        .append(POD_TARGETS)
        .append("']\n")
        .append("        refresh_interval: ")
        .append(interval)
        .append('\n');
    return out.toString();
  }
}
