package app.flagger.controller.tick;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.metrics.MetricAnalysis;
import app.flagger.controller.metrics.MetricAnalysis.ObservedValue;
import app.flagger.controller.router.Routes;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.canary.ThresholdRange;
import app.flagger.model.common.NamedReference;
import app.flagger.model.control.AnalysisDecision;
import app.flagger.model.control.AnalysisDecision.CheckResult;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The decision log ({@code status.decisions}) on whole ticks with fakes. */
class DecisionLogTest {
  private final TickFixture f = new TickFixture();

  /** Canary releases: weight up by 10 to 50, success rate at least 99, duration at most 500ms. */
  private static CanarySpec spec() {
    return spec(StandardRun.builtinMetrics());
  }

  private static CanarySpec spec(List<CanaryMetric> metrics) {
    return CanaryFixture.spec(
        "istio",
        new CanaryAnalysis(
            "10s", 2, 50, 10, null, null, null, null, null, null, null, null, metrics, List.of(),
            List.of(), null));
  }

  private CanaryTick tick(int size) {
    return f.tickWith(
        new TickRecords(
            ConcurrencyLimit.unlimited(f.clock), new DecisionLog(size), f.status, f.clock));
  }

  private static List<AnalysisDecision> decisions(Canary c) {
    return c.getStatus().decisionsOrEmpty();
  }

  @Test
  void keepsTheLastEntriesAndDropsTheOldest() {
    CanaryTick tick = tick(3);
    f.setRoutes(new Routes(90, 10, false));
    f.metricValues =
        List.of(
            new ObservedValue("request-success-rate", 99.5),
            new ObservedValue("request-duration", 0.2));
    Canary c = f.canary(spec(), CanaryPhase.PROGRESSING, 10, 0, 0);
    for (int i = 0; i < 5; i++) {
      Tick t = f.tick(c);
      tick.run(t);
      c = t.canary();
    }

    // weights 10 → 20 → 30 → 40 → 50, then the promotion; the first two entries dropped
    assertThat(decisions(c)).hasSize(3);
    assertThat(decisions(c)).extracting(AnalysisDecision::canaryWeight).containsExactly(30, 40, 50);
    assertThat(decisions(c))
        .extracting(AnalysisDecision::decision)
        .containsExactly("advance", "advance", "promote");
    assertThat(decisions(c).get(0).message()).isEqualTo("Advance " + f.key() + " canary weight 40");
  }

  @Test
  void aPromotionRecordsItsChecksAndTheCopy() {
    f.setRoutes(new Routes(50, 50, false));
    f.metricValues =
        List.of(
            new ObservedValue("request-success-rate", 99.5),
            new ObservedValue("request-duration", 0.2));
    Tick t = f.tick(f.canary(spec(), CanaryPhase.PROGRESSING, 50, 0, 0));

    Decision d = tick(20).run(t);

    assertThat(d).isEqualTo(new Decision.Promoting());
    assertThat(decisions(t.canary()))
        .containsExactly(
            new AnalysisDecision(
                "2026-01-01T10:00:00Z",
                "Progressing",
                50,
                null,
                List.of(
                    new CheckResult("request-success-rate", 99.5, 99.0, null, "pass", null),
                    new CheckResult("request-duration", 0.2, null, 0.5, "pass", null)),
                "promote",
                "Copying podinfo." + f.ns + " template spec to podinfo-primary." + f.ns));
    // the log entry goes along with the transition's write: no write of its own
    assertThat(f.status.writes()).containsExactly("setPhase Promoting +rider");
  }

  @Test
  void aFailedCheckRecordsTheHoldAndWhichCheckFailed() {
    f.setRoutes(new Routes(90, 10, false));
    String failure = "Halt " + f.key() + " advancement success rate 98.10% < 99%";
    f.metricValues = List.of();
    f.metricFailure = Optional.of(failure);
    Tick t = f.tick(f.canary(spec(), CanaryPhase.PROGRESSING, 10, 0, 0));

    tick(20).run(t);

    AnalysisDecision entry = decisions(t.canary()).getLast();
    assertThat(entry.decision()).isEqualTo("hold");
    assertThat(entry.message()).isEqualTo(failure);
    assertThat(entry.phase()).isEqualTo("Progressing");
    assertThat(entry.canaryWeight()).isEqualTo(10);
    // the check that failed carries the message; the one after it did not run
    assertThat(entry.checks())
        .containsExactly(
            new CheckResult("request-success-rate", null, 99.0, null, "fail", failure));
    assertThat(t.canary().getStatus().failedChecksOrZero()).isEqualTo(1);
    assertThat(f.status.writes()).containsExactly("setFailedChecks 1 +rider");
  }

  @Test
  void aTemplateCheckOutOfRangeKeepsItsValueAndAFailedQueryIsAnError() {
    CanaryMetric latency =
        new CanaryMetric(
            "p99",
            "1m",
            null,
            new ThresholdRange(null, 1.0),
            null,
            new NamedReference("latency", null),
            null);
    CanaryMetric errors =
        new CanaryMetric(
            "errors", "1m", null, new ThresholdRange(null, 5.0), "sum(errors)", null, null);
    // the template check runs after the query, whatever the order in the spec
    Canary withTemplate =
        f.canary(spec(List.of(latency, errors)), CanaryPhase.PROGRESSING, 10, 0, 0);

    var outOfRange =
        DecisionLog.checks(
            withTemplate,
            new MetricAnalysis.Result(
                List.of(new ObservedValue("errors", 1), new ObservedValue("p99", 2.5)),
                Optional.of("Halt " + f.key() + " advancement p99 2.50 > 1")));
    assertThat(outOfRange)
        .containsExactly(
            new CheckResult("errors", 1.0, null, 5.0, "pass", null),
            new CheckResult(
                "p99", 2.5, null, 1.0, "fail", "Halt " + f.key() + " advancement p99 2.50 > 1"));

    var failedQuery =
        DecisionLog.checks(
            withTemplate,
            new MetricAnalysis.Result(
                List.of(), Optional.of("Metric query failed for errors: connection refused")));
    assertThat(failedQuery)
        .containsExactly(
            new CheckResult(
                "errors",
                null,
                null,
                5.0,
                "error",
                "Metric query failed for errors: connection refused"));
  }

  @Test
  void longMessagesAreCutToTheBound() {
    f.setRoutes(new Routes(90, 10, false));
    String failure = "Halt " + f.key() + " advancement " + "x".repeat(2000);
    f.metricValues = List.of();
    f.metricFailure = Optional.of(failure);
    Tick t = f.tick(f.canary(spec(), CanaryPhase.PROGRESSING, 10, 0, 0));

    tick(20).run(t);

    AnalysisDecision entry = decisions(t.canary()).getLast();
    assertThat(entry.message()).hasSize(AnalysisDecision.MAX_MESSAGE).endsWith("…");
    assertThat(entry.checks().getFirst().message())
        .hasSize(AnalysisDecision.MAX_MESSAGE)
        .startsWith("Halt " + f.key());
  }

  @Test
  void sizeZeroTurnsTheLogOff() {
    f.setRoutes(new Routes(90, 10, false));
    Tick t = f.tick(f.canary(spec(), CanaryPhase.PROGRESSING, 10, 0, 0));

    tick(0).run(t);

    assertThat(t.canary().getStatus().decisions()).isNull();
    assertThat(f.status.writes()).containsExactly("setWeight 20");
  }

  @Test
  void aTickThatNeitherChecksNorDecidesWritesNothingMore() {
    Tick t = f.tick(f.canary(spec(), CanaryPhase.SUCCEEDED, 0, 0, 0));

    tick(20).run(t);

    assertThat(f.status.writes()).isEmpty();
  }
}
