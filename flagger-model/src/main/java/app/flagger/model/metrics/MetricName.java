package app.flagger.model.metrics;

import java.util.List;

/**
 * One metric family as Prometheus sees it when it scrapes a Flagger service.
 *
 * @param name the exposed family name; counters end in {@code _total}, histograms are read through
 *     {@code <name>_bucket}, {@code <name>_sum} and {@code <name>_count}
 * @param type the family type
 * @param labels the label names, in the order the recorder fills them
 * @param help the help text
 */
public record MetricName(String name, MetricType type, List<String> labels, String help) {
  public MetricName {
    labels = List.copyOf(labels);
  }

  /** The series a histogram's buckets are exposed under, for {@code histogram_quantile}. */
  public String bucket() {
    requireHistogram();
    return name + "_bucket";
  }

  /** The sum series of a histogram. */
  public String sum() {
    requireHistogram();
    return name + "_sum";
  }

  /** The count series of a histogram. */
  public String count() {
    requireHistogram();
    return name + "_count";
  }

  /**
   * The name to register with a Micrometer-style registry that appends {@code _total} to counters
   * and {@code _seconds} to timers.
   */
  public String registrationName() {
    return switch (type) {
      case COUNTER -> strip(name, "_total");
      case HISTOGRAM -> strip(name, "_seconds");
      case GAUGE -> name;
    };
  }

  private static String strip(String s, String suffix) {
    return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
  }

  private void requireHistogram() {
    if (type != MetricType.HISTOGRAM) {
      throw new IllegalStateException(name + " is a " + type + ", not a histogram");
    }
  }
}
