package app.flagger.controller.judge;

/** The whole judgement against the score thresholds, as Kayenta's ThresholdScoreClassifier. */
public enum Classification {
  /** Score at least the pass threshold. */
  PASS,
  /** Score at least the marginal threshold, below pass. */
  MARGINAL,
  /** Score below the marginal threshold, or a critical metric failed. */
  FAIL
}
