package app.flagger.controller.tick;

import app.flagger.controller.judge.Classification;
import app.flagger.controller.judge.Judge;
import app.flagger.controller.judge.JudgeSettings;
import app.flagger.controller.judge.Judgement;
import app.flagger.controller.judge.MetricJudgement;
import app.flagger.controller.judge.Verdict;
import app.flagger.controller.metrics.MetricAnalysis;
import app.flagger.controller.observe.CanaryMetricsRecorder;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.ComparisonDirection;
import app.flagger.model.canary.MetricComparison;
import app.flagger.model.control.AnalysisDecision;
import app.flagger.model.control.AnalysisDecision.CheckResult;
import java.util.List;

/**
 * The judge in an analysis tick, after the threshold checks passed: reads each compared metric's
 * series for the canary and the baseline, judges them, and decides.
 *
 * <ul>
 *   <li><b>fail</b> (a critical metric not passing scores 0, so it fails too): a failed check, as a
 *       threshold failure: {@code failedChecks + 1}, a Warning event with the judge's message,
 *       rollback at the threshold;
 *   <li><b>marginal</b>: a Warning event and the tick holds (no traffic step, no failed check), as
 *       Argo Rollouts pauses on an inconclusive Kayenta run; the next tick judges again;
 *   <li><b>pass</b>: the tick goes on to the traffic step.
 * </ul>
 *
 * Samples that cannot be read (a provider without series, a failing query) are a failed check with
 * the reason, as a failing threshold query is. Each judged metric is recorded in the decision log
 * and in {@code flagger_canary_judge_verdict}; the score in {@code flagger_canary_judge_score}.
 */
final class JudgeStep {
  static final String PREFIX = "Judge ";

  /** The decision-log result of a marginal judgement. */
  static final String MARGINAL = "marginal";

  /** Name suffix of a judged metric in the decision log, next to its threshold check. */
  static final String SUFFIX = " (judge)";

  private final MetricAnalysis metrics;
  private final CanaryMetricsRecorder recorder;

  JudgeStep(MetricAnalysis metrics, CanaryMetricsRecorder recorder) {
    this.metrics = metrics;
    this.recorder = recorder;
  }

  /**
   * Judges the analysis of {@code t} when it compares metrics; {@code checks} (the threshold
   * checks' log entries) gets the judge's entries. {@link Decision#CONTINUE} when nothing is
   * compared or the judgement passed.
   */
  Decision run(Tick t, List<CheckResult> checks) {
    CanaryAnalysis analysis = t.analysis();
    if (!analysis.judged()) {
      return Decision.CONTINUE;
    }
    String prefix = PREFIX + t.key() + ": ";
    MetricAnalysis.Comparisons samples = metrics.compare(t.canary(), t.begin());
    if (samples.failure().isPresent()) {
      String failure = prefix + samples.failure().get();
      checks.add(
          new CheckResult(
              "judge", null, null, null, DecisionLog.ERROR, AnalysisDecision.bounded(failure)));
      return new Decision.Halt(failure);
    }
    Judgement judgement =
        Judge.judge(samples.inputs(), JudgeSettings.of(analysis.judgeOrDefault()));
    record(t, analysis, judgement, checks);
    String message = prefix + judgement.message();
    return switch (judgement.classification()) {
      case PASS -> Decision.CONTINUE;
      case MARGINAL -> new Decision.Wait(message);
      case FAIL -> new Decision.Halt(message);
    };
  }

  private void record(
      Tick t, CanaryAnalysis analysis, Judgement judgement, List<CheckResult> checks) {
    recorder.setJudgeScore(t.targetName(), t.ns(), judgement.score());
    for (MetricJudgement m : judgement.metrics()) {
      recorder.setJudgeVerdict(t.targetName(), t.ns(), m.name(), gauge(m));
      MetricComparison c =
          analysis.metricsOrEmpty().stream()
              .filter(x -> x.name().equals(m.name()) && x.compared())
              .map(CanaryMetric::comparison)
              .findFirst()
              .orElse(null);
      ComparisonDirection d = c == null ? ComparisonDirection.EITHER : c.directionOrDefault();
      double effect = m.effect().value();
      checks.add(
          new CheckResult(
              m.name() + SUFFIX,
              Double.isFinite(effect) ? effect : null,
              d.lowerIsBad() ? -m.tolerance() : null,
              d.higherIsBad() ? m.tolerance() : null,
              result(m),
              m.verdict() == Verdict.PASS ? null : AnalysisDecision.bounded(m.message())));
    }
    checks.add(
        new CheckResult(
            "judge",
            judgement.score(),
            (double) analysis.judgeOrDefault().marginalOrDefault(),
            null,
            switch (judgement.classification()) {
              case PASS -> DecisionLog.PASS;
              case MARGINAL -> MARGINAL;
              case FAIL -> DecisionLog.FAIL;
            },
            judgement.classification() == Classification.PASS
                ? null
                : AnalysisDecision.bounded(judgement.message())));
  }

  private static String result(MetricJudgement m) {
    return switch (m.verdict()) {
      case PASS -> DecisionLog.PASS;
      case HIGH, LOW -> DecisionLog.FAIL;
      case NO_DATA -> DecisionLog.NO_DATA;
      case ERROR -> DecisionLog.ERROR;
    };
  }

  /** 1 pass, -1 high or low, 0 no data or error. */
  static double gauge(MetricJudgement m) {
    return switch (m.verdict()) {
      case PASS -> 1;
      case HIGH, LOW -> -1;
      case NO_DATA, ERROR -> 0;
    };
  }
}
