package app.flagger.controller.judge;

/**
 * A point estimate with its confidence interval; every part may be NaN when it cannot be computed
 * (a relative change against a baseline of 0, no test run).
 */
public record Estimate(double value, double low, double high) {

  /** Nothing estimated. */
  public static final Estimate NONE = new Estimate(Double.NaN, Double.NaN, Double.NaN);

  /** True when the point estimate is a number. */
  public boolean known() {
    return !Double.isNaN(value);
  }

  /** This estimate divided by {@code d}; NONE when {@code d} is 0 or NaN. */
  Estimate dividedBy(double d) {
    if (d == 0 || Double.isNaN(d)) {
      return NONE;
    }
    return new Estimate(value / d, low / d, high / d);
  }
}
