package app.flagger.model.canary;

import app.flagger.model.common.CrossNamespaceObjectReference;
import app.flagger.model.common.LocalObjectReference;
import com.fasterxml.jackson.annotation.JsonInclude;

/** What to release and how: {@code spec} of a Canary. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanarySpec(
    String provider,
    String metricsServer,
    LocalObjectReference targetRef,
    AutoscalerReference autoscalerRef,
    LocalObjectReference ingressRef,
    LocalObjectReference routeRef,
    CrossNamespaceObjectReference upstreamRef,
    CanaryService service,
    CanaryAnalysis analysis,
    CanaryAnalysis canaryAnalysis,
    Integer progressDeadlineSeconds,
    Boolean skipAnalysis,
    Boolean revertOnDeletion,
    Boolean suspend) {

  /** Default progress deadline in seconds. */
  public static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

  /** The analysis, falling back to the deprecated {@code canaryAnalysis}; may be null. */
  public CanaryAnalysis analysisOrLegacy() {
    return analysis != null ? analysis : canaryAnalysis;
  }

  /** The analysis (or the deprecated alias), or {@link CanaryAnalysis#EMPTY} so defaults apply. */
  public CanaryAnalysis analysisOrEmpty() {
    CanaryAnalysis a = analysisOrLegacy();
    return a == null ? CanaryAnalysis.EMPTY : a;
  }

  /** The primary workload's name: {@code <target>-primary}. */
  public String primaryName() {
    return targetRef.name() + app.flagger.model.FlaggerGroup.PRIMARY_SUFFIX;
  }

  /** Seconds a rollout may take to make progress, 600 by default. */
  public int progressDeadlineOrDefault() {
    return progressDeadlineSeconds == null || progressDeadlineSeconds <= 0
        ? DEFAULT_PROGRESS_DEADLINE_SECONDS
        : progressDeadlineSeconds;
  }

  /** Whether the analysis is skipped: asked for, or no analysis at all. */
  public boolean skipsAnalysis() {
    return Boolean.TRUE.equals(skipAnalysis) || analysisOrLegacy() == null;
  }

  public boolean suspended() {
    return Boolean.TRUE.equals(suspend);
  }

  public boolean revertsOnDeletion() {
    return Boolean.TRUE.equals(revertOnDeletion);
  }

  /** The strategy of the analysis; {@code canary} without one. */
  public DeploymentStrategy strategy() {
    CanaryAnalysis a = analysisOrLegacy();
    return a == null ? DeploymentStrategy.CANARY : a.strategy();
  }

  /** The apex service name: {@code service.name}, else the target's name. */
  public String apexName() {
    if (service != null && service.name() != null && !service.name().isEmpty()) {
      return service.name();
    }
    return targetRef == null ? null : targetRef.name();
  }
}
