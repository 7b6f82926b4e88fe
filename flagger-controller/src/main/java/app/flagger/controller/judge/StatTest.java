package app.flagger.controller.judge;

/** Which rule decided a metric's verdict. */
public enum StatTest {
  /** No test ran: a side had too few samples, or the input was unusable. */
  NONE("none"),
  /** Canary and baseline samples are the same values, or every value is the same. */
  IDENTICAL("identical samples"),
  /**
   * Two-sided Mann-Whitney U (Wilcoxon rank-sum) with the Hodges-Lehmann confidence interval of the
   * location shift, Kayenta's classifier.
   */
  MANN_WHITNEY("Mann-Whitney"),
  /** Brown-Forsythe test of spread (one-way ANOVA on absolute deviations from the medians). */
  BROWN_FORSYTHE("Brown-Forsythe"),
  /** One-sided Fisher exact test on event counts. */
  FISHER_EXACT("Fisher exact");

  private final String label;

  StatTest(String label) {
    this.label = label;
  }

  /** The test's name in messages. */
  public String label() {
    return label;
  }
}
