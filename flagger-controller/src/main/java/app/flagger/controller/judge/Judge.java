package app.flagger.controller.judge;

import app.flagger.model.canary.ComparisonKind;
import java.util.List;

/**
 * The statistical judge: compares each metric's canary samples with the baseline's and scores the
 * whole step. Stateless and pure; see docs/usage/judge.md for the rules in plain words.
 *
 * <p>Which test applies: a {@link MetricSamples.Series} of a {@code kind: continuous} metric gets
 * the Mann-Whitney location test with the Hodges-Lehmann interval, then (when higher values are
 * bad) the Brown-Forsythe spread test; {@link MetricSamples.Counts} of a {@code kind: proportion}
 * metric get Fisher's exact test. Samples that do not match the metric's kind are an {@link
 * Verdict#ERROR}.
 */
public final class Judge {
  private Judge() {}

  /** Judges every metric and scores the step. */
  public static Judgement judge(List<MetricInput> metrics, JudgeSettings settings) {
    return Scorer.score(metrics.stream().map(m -> judge(m, settings)).toList(), settings);
  }

  /** Judges one metric. */
  public static MetricJudgement judge(MetricInput m, JudgeSettings settings) {
    ComparisonKind kind = m.comparison().kindOrDefault();
    return switch (m.samples()) {
      case MetricSamples.Series s when kind == ComparisonKind.CONTINUOUS ->
          ContinuousJudge.judge(m.name(), m.comparison(), s, settings);
      case MetricSamples.Counts c when kind == ComparisonKind.PROPORTION ->
          ProportionJudge.judge(m.name(), m.comparison(), c, settings);
      case MetricSamples.Series s -> mismatch(m, "kind proportion needs event and total counts");
      case MetricSamples.Counts c -> mismatch(m, "kind continuous needs a series of values");
    };
  }

  private static MetricJudgement mismatch(MetricInput m, String reason) {
    return MetricJudgement.unjudged(
        m.name(),
        m.comparison(),
        Verdict.ERROR,
        SampleStats.EMPTY,
        SampleStats.EMPTY,
        "cannot judge: " + reason);
  }
}
