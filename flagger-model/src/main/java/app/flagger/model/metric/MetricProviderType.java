package app.flagger.model.metric;

import app.flagger.model.common.StringEnum;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The metric backends a MetricTemplate can query: every type Flagger's CRD names, each marked with
 * whether this controller has a provider for it.
 */
public enum MetricProviderType implements StringEnum {
  PROMETHEUS("prometheus", true),
  INFLUXDB("influxdb", true),
  DATADOG("datadog", true),
  EXTERNALMETRICS("externalmetrics", true),
  STACKDRIVER("stackdriver", true),
  CLOUDWATCH("cloudwatch", true),
  NEWRELIC("newrelic", true),
  GRAPHITE("graphite", true),
  DYNATRACE("dynatrace", true),
  KEPTN("keptn", true),
  SPLUNK("splunk", true);

  private final String value;
  private final boolean implemented;

  MetricProviderType(String value, boolean implemented) {
    this.value = value;
    this.implemented = implemented;
  }

  /**
   * The types this controller queries, in declaration order: the CRD enum of {@code
   * spec.provider.type} and the validator accept exactly these.
   */
  public static final List<String> IMPLEMENTED_VALUES =
      Arrays.stream(values()).filter(t -> t.implemented).map(t -> t.value).toList();

  /** Whether this controller has a provider for the type. */
  public boolean implemented() {
    return implemented;
  }

  @Override
  public String value() {
    return value;
  }

  public static Optional<MetricProviderType> parse(String s) {
    return StringEnum.parse(MetricProviderType.class, s);
  }
}
