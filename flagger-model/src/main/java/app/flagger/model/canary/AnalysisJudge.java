package app.flagger.model.canary;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code spec.analysis.judge}: the score thresholds of the statistical judge (Kayenta's {@code
 * scoreThresholds}). A score of at least {@code pass} passes, at least {@code marginal} is
 * marginal, below it fails.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnalysisJudge(Integer pass, Integer marginal) {

  /** Default pass threshold (Spinnaker's default). */
  public static final int DEFAULT_PASS = 95;

  /** Default marginal threshold (Spinnaker's default). */
  public static final int DEFAULT_MARGINAL = 75;

  /** The thresholds as written or their defaults. */
  public static final AnalysisJudge DEFAULTS = new AnalysisJudge(DEFAULT_PASS, DEFAULT_MARGINAL);

  /** The pass threshold, 95 by default. */
  public int passOrDefault() {
    return pass == null ? DEFAULT_PASS : pass;
  }

  /** The marginal threshold, 75 by default. */
  public int marginalOrDefault() {
    return marginal == null ? DEFAULT_MARGINAL : marginal;
  }
}
