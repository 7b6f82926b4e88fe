package app.flagger.model.metric;

import app.flagger.model.common.StringEnum;
import java.util.Optional;

/** The metric backends a MetricTemplate can query. */
public enum MetricProviderType implements StringEnum {
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

  @Override
  public String value() {
    return value;
  }

  public static Optional<MetricProviderType> parse(String s) {
    return StringEnum.parse(MetricProviderType.class, s);
  }
}
