package app.flagger.model.metric;

import java.util.Optional;

/** The metric backends a MetricTemplate can query. */
public enum MetricProviderType {
  PROMETHEUS("prometheus"),
  INFLUXDB("influxdb"),
  DATADOG("datadog"),
  EXTERNALMETRICS("externalmetrics"),
  STACKDRIVER("stackdriver"),
  CLOUDWATCH("cloudwatch"),
  NEWRELIC("newrelic"),
  GRAPHITE("graphite"),
  DYNATRACE("dynatrace"),
  KEPTN("keptn"),
  SPLUNK("splunk");

  private final String value;

  MetricProviderType(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public static Optional<MetricProviderType> parse(String s) {
    for (MetricProviderType t : values()) {
      if (t.value.equals(s)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
