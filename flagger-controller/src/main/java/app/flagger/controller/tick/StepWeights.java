package app.flagger.controller.tick;

import app.flagger.model.canary.CanaryAnalysis;
import java.util.List;

/** Flagger's {@code nextStepWeight}: how much weight the next step adds. */
final class StepWeights {
  private StepWeights() {}

  /** {@code stepWeight}, or the gap to the next of {@code stepWeights}; 0 or less: no step. */
  static int next(CanaryAnalysis a, int canaryWeight) {
    if (a.stepWeightOrZero() > 0 || a.stepWeightsOrEmpty().isEmpty()) {
      return a.stepWeightOrZero();
    }
    List<Integer> steps = a.stepWeightsOrEmpty();
    int maxStep = 100 - canaryWeight;
    if (maxStep == 0) {
      return 1;
    }
    if (canaryWeight == 0) {
      return Math.min(maxStep, steps.get(0));
    }
    for (int i = 0; i < steps.size() - 1; i++) {
      if (canaryWeight == steps.get(i)) {
        return Math.min(maxStep, steps.get(i + 1) - canaryWeight);
      }
    }
    return maxStep;
  }
}
