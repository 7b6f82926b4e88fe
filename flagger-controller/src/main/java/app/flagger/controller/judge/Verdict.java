package app.flagger.controller.judge;

/** One metric's classification, as Kayenta's. */
public enum Verdict {
  /** No change in a bad direction beyond the tolerance. */
  PASS,
  /** The canary is higher than the baseline, and higher is bad. */
  HIGH,
  /** The canary is lower than the baseline, and lower is bad. */
  LOW,
  /** Too few samples on one side (after NaNs and outliers are dropped). */
  NO_DATA,
  /** The samples could not be judged (bad counts, a kind that does not match the samples). */
  ERROR;

  /** True for {@link #HIGH} and {@link #LOW}. */
  public boolean failed() {
    return this == HIGH || this == LOW;
  }
}
