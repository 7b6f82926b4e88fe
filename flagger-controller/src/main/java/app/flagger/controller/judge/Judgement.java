package app.flagger.controller.judge;

import java.util.List;

/**
 * The judge's result for one analysis step.
 *
 * @param score 0 to 100: the weighted share of passing metrics, 0 when a critical metric failed or
 *     half the metrics or more had no data
 * @param classification the score against the pass and marginal thresholds
 * @param metrics each metric's judgement, in input order
 * @param message one line, e.g. {@code score 62 < 75, request-duration worse by +41% [+30%, +55%]}
 */
public record Judgement(
    double score, Classification classification, List<MetricJudgement> metrics, String message) {
  public Judgement {
    metrics = List.copyOf(metrics);
  }

  /** True unless the classification is {@link Classification#FAIL}. */
  public boolean passedOrMarginal() {
    return classification != Classification.FAIL;
  }
}
