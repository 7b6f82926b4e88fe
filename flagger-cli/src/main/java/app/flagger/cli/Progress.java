package app.flagger.cli;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryStatus;
import app.flagger.model.canary.DeploymentStrategy;

/** Where a release stands: its weights, its step and its failed checks, as short text. */
final class Progress {
  private Progress() {}

  static CanaryAnalysis analysis(Canary c) {
    return c.getSpec() == null ? CanaryAnalysis.EMPTY : c.getSpec().analysisOrEmpty();
  }

  static CanaryStatus status(Canary c) {
    return c.getStatus() == null
        ? new CanaryStatus(
            null, null, null, null, null, null, null, null, null, null, null, null, null, null)
        : c.getStatus();
  }

  /** True for A/B testing and blue/green, which count iterations instead of weights. */
  static boolean iterates(Canary c) {
    return analysis(c).strategy() != DeploymentStrategy.CANARY;
  }

  /** {@code 20/50} (weight/maxWeight) for a canary release, {@code iteration 2/5} otherwise. */
  static String step(Canary c) {
    CanaryAnalysis a = analysis(c);
    CanaryStatus s = status(c);
    if (iterates(c)) {
      return "iteration " + s.iterationsOrZero() + "/" + a.iterationsOrZero();
    }
    return s.canaryWeightOrZero() + "/" + a.maxWeightOrDefault();
  }

  /**
   * The step as {@code step 2/5 (weight 20/50)} for a canary release whose steps are known (a
   * linear {@code stepWeight} or {@code stepWeights}), else as {@link #step}.
   */
  static String longStep(Canary c) {
    CanaryAnalysis a = analysis(c);
    int weight = status(c).canaryWeightOrZero();
    if (iterates(c)) {
      return step(c);
    }
    int max = a.maxWeightOrDefault();
    int at;
    int of;
    if (a.usesStepWeights()) {
      of = a.stepWeightsOrEmpty().size();
      at = (int) a.stepWeightsOrEmpty().stream().filter(w -> w > 0 && w <= weight).count();
    } else if (a.stepWeightOrZero() > 0) {
      int s = a.stepWeightOrZero();
      of = (max + s - 1) / s;
      at = Math.min(of, (weight + s - 1) / s);
    } else {
      return "weight " + step(c);
    }
    return "step " + at + "/" + of + " (weight " + weight + "/" + max + ")";
  }

  /** {@code 1/5}: failed checks over the threshold. */
  static String failed(Canary c) {
    return status(c).failedChecksOrZero() + "/" + analysis(c).thresholdOrDefault();
  }

  /** {@code 20%}: the canary's weight. */
  static String weight(Canary c) {
    return status(c).canaryWeightOrZero() + "%";
  }
}
