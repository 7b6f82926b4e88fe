package app.flagger.model.metrics;

/** Prometheus metric family types, as they appear after {@code # TYPE}. */
public enum MetricType {
  GAUGE,
  COUNTER,
  HISTOGRAM
}
