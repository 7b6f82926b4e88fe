package app.flagger.model.canary;

import app.flagger.model.common.Condition;
import app.flagger.model.control.AnalysisDecision;
import app.flagger.model.control.ControlStatus;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** What the controller last recorded about a Canary: {@code status}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanaryStatus(
    CanaryPhase phase,
    Integer failedChecks,
    Integer canaryWeight,
    Integer iterations,
    Map<String, String> trackedConfigs,
    String lastAppliedSpec,
    String lastPromotedSpec,
    String lastTransitionTime,
    String sessionAffinityCookie,
    String primarySessionAffinityCookie,
    String previousSessionAffinityCookie,
    List<Condition> conditions,
    ControlStatus control,
    List<AnalysisDecision> decisions) {

  /** Type of the single condition Flagger keeps. */
  public static final String PROMOTED_CONDITION = "Promoted";

  /** The phase, {@link CanaryPhase#NONE} when unset. */
  public CanaryPhase phaseOrNone() {
    return phase == null ? CanaryPhase.NONE : phase;
  }

  public int failedChecksOrZero() {
    return failedChecks == null ? 0 : failedChecks;
  }

  public int canaryWeightOrZero() {
    return canaryWeight == null ? 0 : canaryWeight;
  }

  public int iterationsOrZero() {
    return iterations == null ? 0 : iterations;
  }

  /** The tracked configs, never null. */
  public Map<String, String> trackedConfigsOrEmpty() {
    return trackedConfigs == null ? Map.of() : trackedConfigs;
  }

  /** The steering in force and the last command handled, never null. */
  public ControlStatus controlOrEmpty() {
    return control == null ? ControlStatus.EMPTY : control;
  }

  /** The decision log, oldest first, never null. */
  public List<AnalysisDecision> decisionsOrEmpty() {
    return decisions == null ? List.of() : decisions;
  }

  /** The conditions, never null. */
  public List<Condition> conditionsOrEmpty() {
    return conditions == null ? List.of() : conditions;
  }
}
