package app.flagger.model.canary;

import app.flagger.model.common.GoDuration;
import app.flagger.model.istio.HttpMatchRequest;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.List;

/** How a release is analysed and how traffic moves: {@code spec.analysis}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanaryAnalysis(
    String interval,
    Integer threshold,
    Integer maxWeight,
    Integer stepWeight,
    List<Integer> stepWeights,
    Integer stepWeightPromotion,
    Integer iterations,
    Integer primaryReadyThreshold,
    Integer canaryReadyThreshold,
    Boolean mirror,
    Integer mirrorWeight,
    List<HttpMatchRequest> match,
    List<CanaryMetric> metrics,
    List<CanaryWebhook> webhooks,
    List<CanaryAlert> alerts,
    SessionAffinity sessionAffinity,
    AnalysisJudge judge,
    Boolean baseline) {

  /** An analysis without the statistical judge's settings. */
  public CanaryAnalysis(
      String interval,
      Integer threshold,
      Integer maxWeight,
      Integer stepWeight,
      List<Integer> stepWeights,
      Integer stepWeightPromotion,
      Integer iterations,
      Integer primaryReadyThreshold,
      Integer canaryReadyThreshold,
      Boolean mirror,
      Integer mirrorWeight,
      List<HttpMatchRequest> match,
      List<CanaryMetric> metrics,
      List<CanaryWebhook> webhooks,
      List<CanaryAlert> alerts,
      SessionAffinity sessionAffinity) {
    this(
        interval,
        threshold,
        maxWeight,
        stepWeight,
        stepWeights,
        stepWeightPromotion,
        iterations,
        primaryReadyThreshold,
        canaryReadyThreshold,
        mirror,
        mirrorWeight,
        match,
        metrics,
        webhooks,
        alerts,
        sessionAffinity,
        null,
        null);
  }

  /** Analysis interval when none (or an unparsable one) is given. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

  /** Shortest analysis interval; shorter ones are raised to it. */
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(10);

  /** An analysis with nothing set, so that every default applies. */
  public static final CanaryAnalysis EMPTY =
      new CanaryAnalysis(
          null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
          null);

  /** Full weight: primary plus canary always add up to this. */
  public static final int TOTAL_WEIGHT = 100;

  /** The job interval: 60 s by default, never below 10 s. */
  public Duration intervalOrDefault() {
    Duration d = GoDuration.parse(interval).orElse(DEFAULT_INTERVAL);
    if (d.isZero()) {
      return DEFAULT_INTERVAL;
    }
    return d.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : d;
  }

  /** Failed checks before rollback; zero or negative reads as 1. */
  public int thresholdOrDefault() {
    return threshold == null || threshold <= 0 ? 1 : threshold;
  }

  /**
   * The highest canary weight: the last of {@code stepWeights} (capped at 100) when they are used,
   * else {@code maxWeight}, 100 by default.
   */
  public int maxWeightOrDefault() {
    if (usesStepWeights()) {
      return Math.min(TOTAL_WEIGHT, stepWeights.get(stepWeights.size() - 1));
    }
    return maxWeight == null || maxWeight <= 0 ? TOTAL_WEIGHT : maxWeight;
  }

  /** The linear step, 0 when not set. */
  public int stepWeightOrZero() {
    return stepWeight == null ? 0 : stepWeight;
  }

  /** True when the explicit {@code stepWeights} list drives the weights. */
  public boolean usesStepWeights() {
    return stepWeightOrZero() == 0 && stepWeights != null && !stepWeights.isEmpty();
  }

  /** The explicit weights, never null. */
  public List<Integer> stepWeightsOrEmpty() {
    return stepWeights == null ? List.of() : stepWeights;
  }

  /** Primary weight step during promotion; 0 routes everything to the primary at once. */
  public int stepWeightPromotionOrZero() {
    return stepWeightPromotion == null ? 0 : stepWeightPromotion;
  }

  /** Iterations for blue/green and A/B, 0 when not set. */
  public int iterationsOrZero() {
    return iterations == null ? 0 : iterations;
  }

  /** Percent of primary pods that must be available, 100 by default. */
  public int primaryReadyThresholdOrDefault() {
    return primaryReadyThreshold == null ? 100 : primaryReadyThreshold;
  }

  /** Percent of canary pods that must be available, 100 by default. */
  public int canaryReadyThresholdOrDefault() {
    return canaryReadyThreshold == null ? 100 : canaryReadyThreshold;
  }

  /** Whether traffic is mirrored to the canary. */
  public boolean mirrored() {
    return Boolean.TRUE.equals(mirror);
  }

  /** The A/B match conditions, never null. */
  public List<HttpMatchRequest> matchOrEmpty() {
    return match == null ? List.of() : match;
  }

  /** The metric checks, never null. */
  public List<CanaryMetric> metricsOrEmpty() {
    return metrics == null ? List.of() : metrics;
  }

  /** The webhooks, never null. */
  public List<CanaryWebhook> webhooksOrEmpty() {
    return webhooks == null ? List.of() : webhooks;
  }

  /** The alerts, never null. */
  public List<CanaryAlert> alertsOrEmpty() {
    return alerts == null ? List.of() : alerts;
  }

  /** The strategy this analysis runs: A/B with match and iterations, blue/green with iterations. */
  public DeploymentStrategy strategy() {
    if (iterationsOrZero() > 0) {
      return matchOrEmpty().isEmpty()
          ? DeploymentStrategy.BLUE_GREEN
          : DeploymentStrategy.AB_TESTING;
    }
    return DeploymentStrategy.CANARY;
  }

  /** The judge's score thresholds, 95 and 75 by default. */
  public AnalysisJudge judgeOrDefault() {
    return judge == null ? AnalysisJudge.DEFAULTS : judge;
  }

  /**
   * Whether the analysis runs a same-age baseline ({@code <name>-baseline}) for the judge to
   * compare the canary with.
   */
  public boolean usesBaseline() {
    return Boolean.TRUE.equals(baseline);
  }

  /** Whether any metric is judged by comparison with the baseline. */
  public boolean judged() {
    return metricsOrEmpty().stream().anyMatch(CanaryMetric::compared);
  }
}
