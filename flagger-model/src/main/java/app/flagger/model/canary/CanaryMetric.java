package app.flagger.model.canary;

import app.flagger.model.common.GoDuration;
import app.flagger.model.common.NamedReference;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One metric check of the analysis: a builtin ({@code request-success-rate}, {@code
 * request-duration}), an inline {@code query} (deprecated) or a {@code templateRef}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanaryMetric(
    String name,
    String interval,
    Double threshold,
    ThresholdRange thresholdRange,
    String query,
    NamedReference templateRef,
    Map<String, String> templateVariables,
    MetricComparison comparison) {

  /** A metric without a comparison: judged by its threshold alone. */
  public CanaryMetric(
      String name,
      String interval,
      Double threshold,
      ThresholdRange thresholdRange,
      String query,
      NamedReference templateRef,
      Map<String, String> templateVariables) {
    this(name, interval, threshold, thresholdRange, query, templateRef, templateVariables, null);
  }

  /** The builtin success-rate check. */
  public static final String REQUEST_SUCCESS_RATE = "request-success-rate";

  /** The builtin duration check. */
  public static final String REQUEST_DURATION = "request-duration";

  /** Default metric interval. */
  public static final String DEFAULT_INTERVAL = "1m";

  /** The metric interval as written, or {@code 1m}. */
  public String intervalOrDefault() {
    return interval == null || interval.isEmpty() ? DEFAULT_INTERVAL : interval;
  }

  /** The metric interval as a duration; unparsable intervals read as one minute. */
  public java.time.Duration intervalDuration() {
    return GoDuration.parse(intervalOrDefault()).orElse(java.time.Duration.ofMinutes(1));
  }

  /** The template variables, never null. */
  public Map<String, String> variablesOrEmpty() {
    return templateVariables == null ? Map.of() : templateVariables;
  }

  /** Whether the statistical judge compares this metric's canary and baseline samples. */
  public boolean compared() {
    return comparison != null;
  }
}
