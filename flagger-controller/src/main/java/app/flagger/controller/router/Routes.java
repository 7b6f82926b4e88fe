package app.flagger.controller.router;

/**
 * The traffic split a mesh router reports or is told to apply. Weights are integers that add up to
 * 100; {@code mirrored} says whether the canary also receives a copy of primary traffic.
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

  /** Everything to the primary, nothing mirrored. */
  public static Routes allPrimary() {
    return new Routes(100, 0, false);
  }
}
