package app.flagger.controller.router;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;

/**
 * The traffic split a mesh router reports or is told to apply. Weights are integers that add up to
 * 100; {@code mirrored} says whether the canary also receives a copy of primary traffic.
 *
 * <p>With a same-age baseline ({@code analysis.baseline}) the primary's share includes the
 * baseline's: the Istio and Gateway API routers split it into the primary's and the baseline's
 * ({@link #baselineWeight}) when they write it, and fold it back when they read it, so the tick
 * sees two weights as always.
 */
public record Routes(int primaryWeight, int canaryWeight, boolean mirrored) {
  public Routes {
    if (primaryWeight < 0 || canaryWeight < 0 || primaryWeight + canaryWeight != 100) {
      throw new IllegalArgumentException(
          "weights must be non-negative and add up to 100, got primary "
              + primaryWeight
              + " canary "
              + canaryWeight);
    }
  }

  /**
   * The baseline's share of {@link #primaryWeight} when {@code canary} runs a same-age baseline
   * ({@code analysis.baseline}), else 0: as much as the canary's, but never more than the primary
   * has (primary {@code 100 - 2w}, canary {@code w}, baseline {@code w} for {@code w <= 50}).
   */
  public int baselineWeight(Canary canary) {
    CanaryAnalysis analysis = canary.getSpec().analysisOrLegacy();
    return analysis != null && analysis.usesBaseline() ? Math.min(primaryWeight, canaryWeight) : 0;
  }

  /** Everything to the primary, nothing mirrored. */
  public static Routes allPrimary() {
    return new Routes(100, 0, false);
  }
}
