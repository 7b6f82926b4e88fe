package app.flagger.model.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One entry of the decision log, {@code status.decisions}: what one analysis tick found and
 * decided. The controller keeps the last N (default 20), newest last, each message cut to {@link
 * #MAX_MESSAGE} characters, so the status stays small.
 *
 * @param time when the tick decided (RFC 3339)
 * @param phase the phase it started in
 * @param canaryWeight the canary's weight then (canary releases)
 * @param iteration the iteration then (A/B testing, blue/green)
 * @param checks each metric check of the tick, in the Canary's order
 * @param decision what the tick did: {@code advance}, {@code hold}, {@code promote}, {@code
 *     rollback}, {@code paused}, {@code gate-closed}, ...
 * @param message the reason, as its event says it (e.g. {@code Halt advancement podinfo.test
 *     request-success-rate 98.10 < 99})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnalysisDecision(
    String time,
    String phase,
    Integer canaryWeight,
    Integer iteration,
    List<CheckResult> checks,
    String decision,
    String message) {

  /** Longest message kept; longer ones end with an ellipsis. */
  public static final int MAX_MESSAGE = 256;

  /**
   * A metric check: its value against its threshold range.
   *
   * @param name the metric's name
   * @param value what the provider returned; null when it returned nothing or failed
   * @param min the range's minimum, if any
   * @param max the range's maximum, if any
   * @param result {@code pass}, {@code fail} (outside the range), {@code error} (the query failed)
   *     or {@code no-data}
   * @param message the provider's error, for {@code error}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CheckResult(
      String name, Double value, Double min, Double max, String result, String message) {}

  /** {@code message} cut to {@link #MAX_MESSAGE} characters. */
  public static String bounded(String message) {
    if (message == null || message.length() <= MAX_MESSAGE) {
      return message;
    }
    return message.substring(0, MAX_MESSAGE - 1) + "…";
  }
}
