package app.flagger.model.canary;

import app.flagger.model.common.NamedReference;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code spec.analysis.metrics[].comparison}: judge the metric by comparing the canary's samples
 * with the baseline's instead of (or besides) a fixed threshold. See docs/usage/judge.md.
 *
 * @param direction which change is bad: increase, decrease or either (default either)
 * @param tolerance the relative change of the canary's location against the baseline's that is
 *     still accepted, in (0, 1] (default 0.25, i.e. 25 %)
 * @param critical a failing critical metric fails the whole judgement (default false)
 * @param weight the metric's relative weight in the score (default 1: equal shares)
 * @param kind continuous (default) or proportion (counts judged by Fisher's exact test)
 * @param totalTemplateRef with {@code kind: proportion} and a {@code templateRef}: the
 *     MetricTemplate whose query counts all events (the metric's own template counts the events
 *     judged, e.g. 5xx responses among all requests)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricComparison(
    String direction,
    Double tolerance,
    Boolean critical,
    Double weight,
    String kind,
    NamedReference totalTemplateRef) {

  /** A comparison without a total template. */
  public MetricComparison(
      String direction, Double tolerance, Boolean critical, Double weight, String kind) {
    this(direction, tolerance, critical, weight, kind, null);
  }

  /** Kayenta's effect-size tolerance. */
  public static final double DEFAULT_TOLERANCE = 0.25;

  /** Every metric weighs the same unless told otherwise. */
  public static final double DEFAULT_WEIGHT = 1.0;

  /** The direction, {@code either} when not set or unknown. */
  public ComparisonDirection directionOrDefault() {
    return ComparisonDirection.parse(direction).orElse(ComparisonDirection.EITHER);
  }

  /** The tolerance, 0.25 when not set. */
  public double toleranceOrDefault() {
    return tolerance == null ? DEFAULT_TOLERANCE : tolerance;
  }

  /** Whether a failure of this metric fails the whole judgement. */
  public boolean criticalOrDefault() {
    return Boolean.TRUE.equals(critical);
  }

  /** The weight, 1 when not set. */
  public double weightOrDefault() {
    return weight == null ? DEFAULT_WEIGHT : weight;
  }

  /** The kind, {@code continuous} when not set or unknown. */
  public ComparisonKind kindOrDefault() {
    return ComparisonKind.parse(kind).orElse(ComparisonKind.CONTINUOUS);
  }
}
