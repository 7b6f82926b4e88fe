package app.flagger.controller.judge;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Kayenta's WeightedSumScorer and ThresholdScoreClassifier, with each metric its own group: a
 * critical metric that does not pass scores 0; no data for half the metrics or more scores 0;
 * otherwise the score is 100 times the weight of the passing metrics over the weight of the passing
 * and failing ones ({@link Verdict#NO_DATA} and {@link Verdict#ERROR} left out; nothing left scores
 * 100), rounded to two decimals. At least {@code pass} passes, at least {@code marginal} is
 * marginal.
 */
final class Scorer {
  private Scorer() {}

  static Judgement score(List<MetricJudgement> metrics, JudgeSettings s) {
    List<MetricJudgement> critical = metrics.stream().filter(MetricJudgement::failsRun).toList();
    if (!critical.isEmpty()) {
      return new Judgement(
          0, Classification.FAIL, metrics, "score 0, critical " + messages(critical));
    }
    List<MetricJudgement> noData =
        metrics.stream().filter(m -> m.verdict() == Verdict.NO_DATA).toList();
    if (!metrics.isEmpty() && noData.size() * 2 >= metrics.size()) {
      return new Judgement(
          0,
          Classification.FAIL,
          metrics,
          "score 0, no data for "
              + noData.size()
              + " of "
              + metrics.size()
              + " metrics: "
              + messages(noData));
    }
    double passed = 0;
    double counted = 0;
    for (MetricJudgement m : metrics) {
      if (m.verdict() == Verdict.PASS) {
        passed += m.weight();
        counted += m.weight();
      } else if (m.verdict().failed()) {
        counted += m.weight();
      }
    }
    double score = counted == 0 ? 100 : Math.round(10000 * passed / counted) / 100.0;
    Classification c =
        score >= s.pass()
            ? Classification.PASS
            : score >= s.marginal() ? Classification.MARGINAL : Classification.FAIL;
    List<MetricJudgement> failed = metrics.stream().filter(m -> m.verdict().failed()).toList();
    String message =
        switch (c) {
          case PASS -> "score " + Format.score(score) + " >= " + Format.score(s.pass());
          case MARGINAL -> "score " + Format.score(score) + " < " + Format.score(s.pass());
          case FAIL -> "score " + Format.score(score) + " < " + Format.score(s.marginal());
        };
    if (!failed.isEmpty()) {
      message += ", " + messages(failed);
    }
    return new Judgement(score, c, metrics, message);
  }

  private static String messages(List<MetricJudgement> metrics) {
    return metrics.stream().map(MetricJudgement::message).collect(Collectors.joining("; "));
  }
}
