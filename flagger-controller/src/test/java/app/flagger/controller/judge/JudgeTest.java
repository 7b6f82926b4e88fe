package app.flagger.controller.judge;

import static app.flagger.controller.judge.JudgeReferenceTest.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import app.flagger.model.canary.MetricComparison;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The judge on samples with known answers: the series are reference.json's (SciPy and R values
 * there), the counts are small enough to check by hand.
 */
class JudgeTest {
  private static final JudgeSettings DEFAULTS = JudgeSettings.defaults();

  private static MetricComparison comparison(String direction) {
    return new MetricComparison(direction, null, null, null, null);
  }

  private static MetricInput series(String name, MetricComparison c, String referenceCase) {
    JudgeReferenceTest.Case r = reference(referenceCase);
    return new MetricInput(name, c, new MetricSamples.Series(r.canary(), r.baseline()));
  }

  private static MetricInput series(
      String name, MetricComparison c, double[] canary, double[] baseline) {
    return new MetricInput(name, c, new MetricSamples.Series(canary, baseline));
  }

  private static MetricInput counts(String name, String direction, long... n) {
    return new MetricInput(
        name,
        new MetricComparison(direction, null, null, null, "proportion"),
        new MetricSamples.Counts(n[0], n[1], n[2], n[3]));
  }

  @Test
  void equalDistributionsPass() {
    Judgement j =
        Judge.judge(List.of(series("request-duration", comparison("either"), "equal")), DEFAULTS);

    MetricJudgement m = j.metrics().get(0);
    assertThat(m.verdict()).isEqualTo(Verdict.PASS);
    assertThat(m.decidedBy()).isEqualTo(StatTest.MANN_WHITNEY);
    assertThat(m.pValue()).isCloseTo(0.68997, within(1e-5));
    assertThat(m.shift().low()).isNegative();
    assertThat(m.shift().high()).isPositive();
    assertThat(m.spreadPValue()).as("spread tested, not decisive").isCloseTo(0.7371, within(1e-4));
    assertThat(j.score()).isEqualTo(100);
    assertThat(j.classification()).isEqualTo(Classification.PASS);
    assertThat(j.message()).isEqualTo("score 100 >= 95");
  }

  @Test
  void medianShiftedUpBeyondToleranceFailsHigh() {
    MetricJudgement m =
        Judge.judge(series("request-duration", comparison("increase"), "shift-up-41"), DEFAULTS);

    assertThat(m.verdict()).isEqualTo(Verdict.HIGH);
    assertThat(m.decidedBy()).isEqualTo(StatTest.MANN_WHITNEY);
    // R: estimate 40.18, 98 % interval [36.11, 44.90] in ms over a baseline median near 100
    assertThat(m.shift().low()).isCloseTo(36.106, within(2e-3));
    assertThat(m.shift().high()).isCloseTo(44.901, within(2e-3));
    assertThat(m.effect().value())
        .isCloseTo(m.shift().value() / m.baseline().median(), within(1e-12));
    assertThat(m.message()).isEqualTo("request-duration worse by +39% [+35%, +44%]");
  }

  @Test
  void theSameShiftPassesWhenHigherIsHarmless() {
    MetricJudgement m =
        Judge.judge(series("throughput", comparison("decrease"), "shift-up-41"), DEFAULTS);

    assertThat(m.verdict()).isEqualTo(Verdict.PASS);
    assertThat(m.message()).isEqualTo("throughput passes: +39% [+35%, +44%], tolerance ±25%");
  }

  @Test
  void medianShiftedDownFailsLowWhenLowerIsBad() {
    assertThat(
            Judge.judge(series("rps", comparison("decrease"), "shift-down-30"), DEFAULTS).verdict())
        .isEqualTo(Verdict.LOW);
    assertThat(
            Judge.judge(series("rps", comparison("either"), "shift-down-30"), DEFAULTS).verdict())
        .isEqualTo(Verdict.LOW);
    assertThat(
            Judge.judge(series("rps", comparison("increase"), "shift-down-30"), DEFAULTS).verdict())
        .isEqualTo(Verdict.PASS);
  }

  @Test
  void aClearShiftWithinToleranceIsNotAFailure() {
    // +10 %: significant (98 % interval [+4.7, +15.4] ms) but within the default ±25 %
    MetricJudgement lenient =
        Judge.judge(series("request-duration", comparison("increase"), "unequal-sizes"), DEFAULTS);
    MetricJudgement strict =
        Judge.judge(
            series(
                "request-duration",
                new MetricComparison("increase", 0.05, null, null, null),
                "unequal-sizes"),
            DEFAULTS);

    assertThat(lenient.verdict()).isEqualTo(Verdict.PASS);
    assertThat(lenient.shift().low()).isPositive();
    assertThat(strict.verdict()).isEqualTo(Verdict.HIGH);
  }

  @Test
  void spreadIncreaseAtTheSameMedianFailsOnlyThroughTheSpreadTest() {
    MetricJudgement m =
        Judge.judge(series("request-duration", comparison("increase"), "spread-x4"), DEFAULTS);

    assertThat(m.verdict()).isEqualTo(Verdict.HIGH);
    assertThat(m.decidedBy()).isEqualTo(StatTest.BROWN_FORSYTHE);
    assertThat(m.spreadPValue()).isCloseTo(9.682e-14, within(1e-12));
    assertThat(m.spreadRatio()).isGreaterThan(3);
    assertThat(m.shift().low()).as("the location test alone passes").isNegative();
    assertThat(m.message())
        .isEqualTo(
            "request-duration spread 4.8x the baseline's at a median change of -0.1%"
                + " (Brown-Forsythe p 9.7e-14)");
    assertThat(
            Judge.judge(series("success", comparison("decrease"), "spread-x4"), DEFAULTS).verdict())
        .as("no spread test when only lower values are bad")
        .isEqualTo(Verdict.PASS);
  }

  @Test
  void aSpreadIncreaseSmallAgainstTheMedianIsNotAFailure() {
    // mean latencies of two identical releases on a busy machine: about 61 ms both, one side twice
    // as noisy (mean deviation about 0.8 ms against 1.8 ms): clear to Brown-Forsythe, irrelevant
    // against a 25 % tolerance of 61 ms
    java.util.Random rng = new java.util.Random(7);
    double[] baseline = new double[31];
    double[] canary = new double[31];
    for (int i = 0; i < 31; i++) {
      baseline[i] = 61 + rng.nextGaussian();
      canary[i] = 61 + 2.2 * rng.nextGaussian();
    }

    MetricJudgement m =
        Judge.judge(series("mean-latency", comparison("increase"), canary, baseline), DEFAULTS);

    assertThat(m.spreadRatio()).isGreaterThan(1.25);
    assertThat(m.spreadPValue()).as("the spread differs clearly").isLessThan(0.02);
    assertThat(m.verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void sparseErrorCountsAreJudgedAsCounts() {
    // Kayenta #426: baseline all zeros, canary 0,1,2,1,0,0 errors per step. Kayenta passes it: the
    // 98 % interval of the shift is [0, 2] (R agrees). Here the spread test catches it (SciPy's
    // levene(center='median'): F = 16, p = 0.0025)
    MetricJudgement series =
        Judge.judge(
            series(
                "errors",
                comparison("increase"),
                new double[] {0, 1, 2, 1, 0, 0},
                new double[] {0, 0, 0, 0, 0, 0}),
            DEFAULTS);
    // the same four errors among 600 canary requests, none among the primary's 5400
    MetricJudgement asCounts = Judge.judge(counts("errors", "increase", 4, 600, 0, 5400), DEFAULTS);

    assertThat(series.verdict()).isEqualTo(Verdict.HIGH);
    assertThat(series.decidedBy()).isEqualTo(StatTest.BROWN_FORSYTHE);
    assertThat(series.shift().low()).as("the location test alone passes").isZero();
    assertThat(series.spreadPValue()).isCloseTo(0.0025183, within(1e-7));
    assertThat(asCounts.verdict()).isEqualTo(Verdict.HIGH);
    assertThat(asCounts.decidedBy()).isEqualTo(StatTest.FISHER_EXACT);
    assertThat(asCounts.pValue()).isCloseTo(9.910e-5, within(1e-8));
    assertThat(asCounts.message())
        .isEqualTo("errors worse by 4/600 (0.67%) against 0/5400 (0.00%), Fisher p 9.9e-05");
  }

  @Test
  void fiveErrorsInFiftyAgainstNoneAtEqualTrafficIsNotYetEvidence() {
    // one-sided P = C(50,5)/C(100,5) = 0.028 > 1 %; ten in 200 against none is (0.00087)
    MetricJudgement five = Judge.judge(counts("errors", "increase", 5, 50, 0, 50), DEFAULTS);
    MetricJudgement ten = Judge.judge(counts("errors", "increase", 10, 200, 0, 200), DEFAULTS);

    assertThat(five.verdict()).isEqualTo(Verdict.PASS);
    assertThat(five.message()).endsWith("Fisher p 0.0281");
    assertThat(ten.verdict()).isEqualTo(Verdict.HIGH);
  }

  @Test
  void aSuccessRateDropIsJudgedOnTheFailures() {
    // 99.0 % against 99.9 %: a 0.9 % drop of the rate, ten times the failures
    MetricJudgement m =
        Judge.judge(counts("request-success-rate", "decrease", 990, 1000, 999, 1000), DEFAULTS);
    MetricJudgement fine =
        Judge.judge(counts("request-success-rate", "decrease", 998, 1000, 999, 1000), DEFAULTS);

    assertThat(m.verdict()).isEqualTo(Verdict.LOW);
    assertThat(m.pValue()).isCloseTo(0.005752, within(1e-6));
    assertThat(m.effect().value()).isCloseTo(-0.009, within(1e-4));
    assertThat(fine.verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void nanValuesAreDroppedAndEmptySamplesHaveNoData() {
    double nan = Double.NaN;
    MetricJudgement allNan =
        Judge.judge(
            series(
                "latency",
                comparison("increase"),
                new double[] {nan, nan, nan},
                new double[] {1, 2, 3, 4, 5}),
            DEFAULTS);
    MetricJudgement noBaseline =
        Judge.judge(
            series("latency", comparison("increase"), new double[] {1, 2, 3, 4, 5}, new double[0]),
            DEFAULTS);
    MetricJudgement few =
        Judge.judge(
            series(
                "latency",
                comparison("increase"),
                new double[] {1, nan, 2, 3, 4},
                new double[] {1, 2, 3, 4, 5}),
            DEFAULTS);
    MetricJudgement replaced =
        Judge.judge(
            series(
                "latency",
                comparison("increase"),
                new double[] {1, nan, 2, 3, 4},
                new double[] {1, 2, 3, 4, 5}),
            DEFAULTS.withPreprocessing(JudgeSettings.NanStrategy.REPLACE, false));

    assertThat(allNan.verdict()).isEqualTo(Verdict.NO_DATA);
    assertThat(allNan.message()).isEqualTo("latency: no canary data");
    assertThat(noBaseline.message()).isEqualTo("latency: no baseline data");
    assertThat(few.verdict()).isEqualTo(Verdict.NO_DATA);
    assertThat(few.message()).isEqualTo("latency: 4 canary samples, need 5");
    assertThat(replaced.verdict()).isEqualTo(Verdict.PASS);
    assertThat(replaced.canary().min()).isZero();
  }

  @Test
  void outliersAreDroppedOnlyWhenAsked() {
    double[] canary = {10, 11, 12, 10, 11, 12, 10, 11, 12, 1000};
    double[] baseline = {10, 11, 12, 10, 11, 12, 10, 11, 12, 11};
    MetricInput m = series("latency", comparison("increase"), canary, baseline);

    assertThat(Judge.judge(m, DEFAULTS).canary().count()).isEqualTo(10);
    assertThat(
            Judge.judge(m, DEFAULTS.withPreprocessing(JudgeSettings.NanStrategy.REMOVE, true))
                .canary()
                .max())
        .isEqualTo(12);
  }

  @Test
  void aFailingCriticalMetricFailsTheWholeRun() {
    MetricInput critical =
        series(
            "request-duration",
            new MetricComparison("increase", null, true, null, null),
            "shift-up-41");
    MetricInput fine = series("cpu", comparison("either"), "equal");

    Judgement j = Judge.judge(List.of(critical, fine, fine, fine), DEFAULTS);

    assertThat(j.score()).isZero();
    assertThat(j.classification()).isEqualTo(Classification.FAIL);
    assertThat(j.message())
        .startsWith("score 0, critical request-duration worse by +39% [+35%, +44%]");
  }

  @Test
  void aCriticalMetricWithoutDataFailsTheRunToo() {
    MetricInput critical =
        new MetricInput(
            "request-success-rate",
            new MetricComparison("decrease", null, true, null, "proportion"),
            new MetricSamples.Counts(0, 0, 0, 100));

    Judgement j =
        Judge.judge(List.of(critical, series("cpu", comparison("either"), "equal")), DEFAULTS);

    assertThat(j.classification()).isEqualTo(Classification.FAIL);
    assertThat(j.message()).isEqualTo("score 0, critical request-success-rate: no canary data");
  }

  @Test
  void scoreIsTheWeightedShareOfPassingMetrics() {
    MetricInput pass = series("cpu", comparison("either"), "equal");
    MetricInput fail = series("request-duration", comparison("increase"), "shift-up-41");
    MetricInput heavyFail =
        series(
            "request-duration",
            new MetricComparison("increase", null, null, 2.0, null),
            "shift-up-41");
    MetricInput noData =
        series("memory", comparison("either"), new double[0], new double[] {1, 2, 3, 4, 5});

    Judgement marginal = Judge.judge(List.of(pass, pass, pass, fail), DEFAULTS);
    Judgement weighted = Judge.judge(List.of(pass, pass, heavyFail), DEFAULTS);
    Judgement withoutData = Judge.judge(List.of(pass, pass, fail, noData), DEFAULTS);

    assertThat(marginal.score()).isEqualTo(75);
    assertThat(marginal.classification()).isEqualTo(Classification.MARGINAL);
    assertThat(marginal.message())
        .isEqualTo("score 75 < 95, request-duration worse by +39% [+35%, +44%]");
    assertThat(weighted.score()).isEqualTo(50);
    assertThat(weighted.classification()).isEqualTo(Classification.FAIL);
    assertThat(weighted.message())
        .isEqualTo("score 50 < 75, request-duration worse by +39% [+35%, +44%]");
    assertThat(withoutData.score()).as("no data left out").isEqualTo(66.67);
    assertThat(withoutData.message()).startsWith("score 66.67 < 75, ");
  }

  @Test
  void noDataForHalfTheMetricsScoresZero() {
    MetricInput pass = series("cpu", comparison("either"), "equal");
    MetricInput noData =
        series("memory", comparison("either"), new double[0], new double[] {1, 2, 3, 4, 5});

    Judgement j = Judge.judge(List.of(pass, noData), DEFAULTS);

    assertThat(j.score()).isZero();
    assertThat(j.message())
        .isEqualTo("score 0, no data for 1 of 2 metrics: memory: no canary data");
  }

  @Test
  void thresholdsComeFromTheAnalysis() {
    MetricInput pass = series("cpu", comparison("either"), "equal");
    MetricInput fail = series("request-duration", comparison("increase"), "shift-up-41");
    JudgeSettings lenient = JudgeSettings.of(new app.flagger.model.canary.AnalysisJudge(70, 50));

    Judgement j = Judge.judge(List.of(pass, pass, pass, fail), lenient);

    assertThat(j.classification()).isEqualTo(Classification.PASS);
    assertThat(j.message()).startsWith("score 75 >= 70, request-duration worse by");
  }

  @Test
  void samplesThatDoNotMatchTheKindAreAnError() {
    MetricInput m =
        new MetricInput(
            "errors",
            new MetricComparison("increase", null, null, null, "proportion"),
            new MetricSamples.Series(new double[] {1, 2, 3, 4, 5}, new double[] {1, 2, 3, 4, 5}));

    MetricJudgement j = Judge.judge(m, DEFAULTS);

    assertThat(j.verdict()).isEqualTo(Verdict.ERROR);
    assertThat(j.message())
        .isEqualTo("errors: cannot judge: kind proportion needs event and total counts");
  }
}
