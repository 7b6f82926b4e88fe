package app.flagger.controller.tick;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.judge.MetricInput;
import app.flagger.controller.judge.MetricSamples;
import app.flagger.controller.metrics.MetricAnalysis.Comparisons;
import app.flagger.controller.metrics.MetricAnalysis.ObservedValue;
import app.flagger.controller.router.Routes;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.RegistryReader;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.AnalysisJudge;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.canary.MetricComparison;
import app.flagger.model.control.AnalysisDecision;
import app.flagger.model.control.AnalysisDecision.CheckResult;
import app.flagger.model.metrics.FlaggerMetrics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The judge in an analysis tick, on fakes: the samples are given, the decision is checked. */
class JudgeStepTest {
  private final TickFixture f = new TickFixture();

  private static final MetricComparison SLOWER_IS_BAD =
      new MetricComparison("increase", null, null, null, null);
  private static final MetricComparison LOWER_IS_BAD =
      new MetricComparison("decrease", null, null, null, null);

  /** Success rate at least 99 and duration at most 500 ms, both also compared with the baseline. */
  private static CanarySpec spec(AnalysisJudge judge) {
    CanarySpec s =
        CanaryFixture.spec("istio", CanaryFixture.analysis(10, null, null, 2, List.of()));
    return CanaryFixture.withAnalysis(
        s, CanaryFixture.judged(s.analysis(), StandardRun.comparedBuiltinMetrics(), judge, true));
  }

  private CanaryTick tick() {
    return f.tickWith(
        new TickRecords(
            ConcurrencyLimit.unlimited(f.clock), new DecisionLog(5), f.status, f.clock));
  }

  /** 31 values around {@code level} (a 1m window at 2 s steps), the same noise for every seed. */
  private static double[] around(double level, double noise, long seed) {
    Random r = new Random(seed);
    double[] out = new double[31];
    for (int i = 0; i < out.length; i++) {
      out[i] = level + noise * r.nextGaussian();
    }
    return out;
  }

  /** Equal success rates; the canary's durations {@code canary} against the baseline's ~100 ms. */
  private void judged(double[] canary) {
    f.comparisons =
        new Comparisons(
            List.of(
                new MetricInput(
                    "request-success-rate",
                    LOWER_IS_BAD,
                    new MetricSamples.Series(around(99.9, 0.05, 1), around(99.9, 0.05, 2))),
                new MetricInput(
                    "request-duration",
                    SLOWER_IS_BAD,
                    new MetricSamples.Series(canary, around(100, 5, 4)))),
            Optional.empty());
  }

  /** Equal success rates; the canary's P99 {@code slower} ms above the baseline's 100 ms. */
  private void samples(double slower) {
    judged(around(100 + slower, 5, 3));
    // the thresholds alone pass: 99.9 % >= 99 and 140 ms <= 500 ms
    f.metricValues =
        List.of(
            new ObservedValue("request-success-rate", 99.9),
            new ObservedValue("request-duration", (100 + slower) / 1000));
  }

  private Tick analysing(CanarySpec spec) {
    f.setRoutes(new Routes(90, 10, false));
    return f.tick(f.canary(spec, CanaryPhase.PROGRESSING, 10, 0, 0));
  }

  private double score() {
    return new RegistryReader(f.registry)
        .gauge(
            FlaggerMetrics.CANARY_JUDGE_SCORE.registrationName(),
            Map.of("name", CanaryFixture.NAME, "namespace", f.ns));
  }

  private double verdict(String metric) {
    return new RegistryReader(f.registry)
        .gauge(
            FlaggerMetrics.CANARY_JUDGE_VERDICT.registrationName(),
            Map.of("name", CanaryFixture.NAME, "namespace", f.ns, "metric", metric));
  }

  private static AnalysisDecision last(Tick t) {
    List<AnalysisDecision> d = t.canary().getStatus().decisionsOrEmpty();
    return d.get(d.size() - 1);
  }

  @Test
  void aCanary40msSlowerAtEqualErrorRateFailsWithTheJudgesMessage() {
    samples(40);
    Tick t = analysing(spec(null));

    Decision d = tick().run(t);

    String message = "Judge " + f.key() + ": score 50 < 75, request-duration worse by ";
    assertThat(d).isInstanceOf(Decision.Halt.class);
    assertThat(((Decision.Halt) d).warning()).startsWith(message);
    assertThat(f.status.writes()).containsExactly("setFailedChecks 1 +rider");
    assertThat(f.events.messages()).singleElement().asString().startsWith(message);
    assertThat(f.routes()).isEqualTo(new Routes(90, 10, false));
    assertThat(f.compared).containsExactly(f.clock.instant());
    assertThat(score()).isEqualTo(50);
    assertThat(verdict("request-duration")).isEqualTo(-1);
    assertThat(verdict("request-success-rate")).isEqualTo(1);
  }

  @Test
  void theDecisionLogRecordsTheThresholdChecksThenEachJudgedMetricAndTheScore() {
    samples(40);
    Tick t = analysing(spec(null));

    tick().run(t);

    AnalysisDecision entry = last(t);
    assertThat(entry.decision()).isEqualTo("hold");
    assertThat(entry.message()).startsWith("Judge " + f.key() + ": score 50 < 75");
    assertThat(entry.checks())
        .extracting(CheckResult::name, CheckResult::result)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("request-success-rate", "pass"),
            org.assertj.core.groups.Tuple.tuple("request-duration", "pass"),
            org.assertj.core.groups.Tuple.tuple("request-success-rate (judge)", "pass"),
            org.assertj.core.groups.Tuple.tuple("request-duration (judge)", "fail"),
            org.assertj.core.groups.Tuple.tuple("judge", "fail"));
    CheckResult duration = entry.checks().get(3);
    assertThat(duration.value()).isBetween(0.35, 0.45);
    assertThat(duration.min()).isNull();
    assertThat(duration.max()).isEqualTo(0.25);
    assertThat(duration.message()).startsWith("request-duration worse by +");
    CheckResult rate = entry.checks().get(2);
    assertThat(rate.min()).isEqualTo(-0.25);
    assertThat(rate.message()).isNull();
    CheckResult judge = entry.checks().get(4);
    assertThat(judge.value()).isEqualTo(50);
    assertThat(judge.min()).isEqualTo(75);
  }

  @Test
  void anIdenticalCanaryPassesAndAdvances() {
    samples(0);
    Tick t = analysing(spec(null));

    Decision d = tick().run(t);

    assertThat(d).isEqualTo(new Decision.Advanced(20));
    assertThat(f.status.writes()).containsExactly("setWeight 20 +rider");
    assertThat(score()).isEqualTo(100);
    assertThat(verdict("request-duration")).isEqualTo(1);
    assertThat(last(t).checks())
        .filteredOn(c -> c.name().equals("judge"))
        .singleElement()
        .satisfies(c -> assertThat(c.result()).isEqualTo("pass"));
  }

  @Test
  void aMarginalJudgementHoldsWithAWarningAndCountsNoFailedCheck() {
    samples(40);
    Tick t = analysing(spec(new AnalysisJudge(95, 50)));

    Decision d = tick().run(t);

    String message = "Judge " + f.key() + ": score 50 < 95, request-duration worse by +";
    assertThat(d).isInstanceOf(Decision.Wait.class);
    assertThat(((Decision.Wait) d).warning()).startsWith(message);
    assertThat(f.status.writes())
        .noneMatch(w -> w.startsWith("setFailedChecks") || w.startsWith("setWeight"));
    assertThat(f.events.all())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo("Warning");
              assertThat(e.message()).startsWith(message);
            });
    assertThat(f.routes()).isEqualTo(new Routes(90, 10, false));
    assertThat(last(t).checks())
        .filteredOn(c -> c.name().equals("judge"))
        .singleElement()
        .satisfies(c -> assertThat(c.result()).isEqualTo("marginal"));
  }

  @Test
  void noDataForHalfTheMetricsFailsWithTheMetricsNamed() {
    judged(new double[0]);
    Tick t = analysing(spec(null));

    Decision d = tick().run(t);

    assertThat(d).isInstanceOf(Decision.Halt.class);
    assertThat(((Decision.Halt) d).warning())
        .startsWith(
            "Judge "
                + f.key()
                + ": score 0, no data for 1 of 2 metrics: request-duration: no canary data");
    assertThat(verdict("request-duration")).isZero();
    assertThat(last(t).checks())
        .filteredOn(c -> c.name().equals("request-duration (judge)"))
        .singleElement()
        .satisfies(c -> assertThat(c.result()).isEqualTo("no-data"));
  }

  @Test
  void samplesThatCannotBeReadAreAFailedCheckNamingTheMetric() {
    f.comparisons =
        new Comparisons(
            List.of(),
            Optional.of(
                "metric cpu: provider keptn of metric template cpu.test gives no series (range"
                    + " queries), which a comparison needs"));
    Tick t = analysing(spec(null));

    Decision d = tick().run(t);

    assertThat(d)
        .isEqualTo(
            new Decision.Halt(
                "Judge "
                    + f.key()
                    + ": metric cpu: provider keptn of metric template cpu.test gives no series"
                    + " (range queries), which a comparison needs"));
    assertThat(f.status.writes()).containsExactly("setFailedChecks 1 +rider");
    assertThat(last(t).checks())
        .extracting(CheckResult::name, CheckResult::result)
        .endsWith(org.assertj.core.groups.Tuple.tuple("judge", "error"));
  }

  @Test
  void aFailingThresholdHaltsBeforeTheJudgeReadsAnything() {
    samples(0);
    f.metricFailure = Optional.of("Halt podinfo advancement success rate 90.00% < 99%");

    Decision d = tick().run(analysing(spec(null)));

    assertThat(d).isEqualTo(new Decision.Halt(f.metricFailure.get()));
    assertThat(f.compared).isEmpty();
  }

  @Test
  void anAnalysisWithoutComparisonsNeverAsksForSamples() {
    f.setRoutes(new Routes(90, 10, false));
    Tick t =
        f.tick(
            f.canary(
                CanaryFixture.spec("istio", CanaryFixture.analysis(10, null, null, 2, List.of())),
                CanaryPhase.PROGRESSING,
                10,
                0,
                0));

    assertThat(tick().run(t)).isEqualTo(new Decision.Advanced(20));
    assertThat(f.compared).isEmpty();
  }
}
