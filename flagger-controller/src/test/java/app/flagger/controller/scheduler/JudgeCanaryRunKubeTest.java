package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.RegistryReader;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.canary.MetricComparison;
import app.flagger.model.canary.ThresholdRange;
import app.flagger.model.metrics.FlaggerMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The judge end to end on the mock API server: Istio, builtin metrics compared with the baseline
 * through a Prometheus stub that answers range queries. A canary 40 ms slower than its baseline at
 * the same success rate is rolled back by the judge although its {@code max: 500} threshold passes;
 * an identical one is promoted.
 */
@EnableKubernetesMockClient(crud = true)
class JudgeCanaryRunKubeTest {
  KubernetesClient client;
  StandardRun run;

  /** The canary's P99 in ms; the baseline's is about 100. */
  volatile double canaryLatency = 100;

  /** The canary's successful requests among 50 per interval; the baseline's 50 all succeed. */
  volatile int canarySuccesses = 50;

  @BeforeEach
  void setUp() throws Exception {
    run = new StandardRun(client, "100");
    run.prometheus.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            return answer(r);
          }
        });
  }

  @AfterEach
  void tearDown() throws Exception {
    run.close();
  }

  private MockResponse answer(RecordedRequest r) {
    String query = r.getUrl().queryParameter("query");
    boolean latency = query != null && query.contains("histogram_quantile");
    boolean baseline =
        query != null && query.contains("destination_workload=~\"podinfo-baseline\"");
    if (query != null && query.startsWith("sum(increase(istio_requests_total{")) {
      boolean successes = query.contains("response_code!~\"5.*\"");
      return StandardRun.vector(Integer.toString(successes && !baseline ? canarySuccesses : 50));
    }
    double level = latency ? (baseline ? 100 : canaryLatency) : 99.9;
    if (!r.getUrl().encodedPath().endsWith("/query_range")) {
      return StandardRun.vector(Double.toString(level));
    }
    return StandardRun.matrix(level, baseline ? 0 : 1);
  }

  /** The standard Istio Canary with both builtins also compared with a baseline. */
  private CanarySpec spec() {
    CanarySpec s = run.spec("istio", null, 10, null, null, null);
    return CanaryFixture.withAnalysis(
        s, CanaryFixture.judged(s.analysis(), StandardRun.comparedBuiltinMetrics(), null, true));
  }

  /**
   * The VirtualService's weights with the baseline's share counted in the primary's, as the router
   * reads them back (BaselineRunKubeTest checks the three-way split itself).
   */
  private List<Object> canaryWeights() {
    List<Object> w = IstioCanaryRunKubeTest.canaryWeights(client);
    if (w.size() == 3) {
      return List.of(((Number) w.get(0)).intValue() + ((Number) w.get(2)).intValue(), w.get(1));
    }
    return w;
  }

  private double score() {
    return new RegistryReader(run.registry)
        .gauge(
            FlaggerMetrics.CANARY_JUDGE_SCORE.registrationName(),
            Map.of("name", CanaryFixture.NAME, "namespace", CanaryFixture.NS));
  }

  /**
   * After {@link StandardRun#initializeAndRollOut}: weight 10, then the judge fails two ticks with
   * the Warning starting with {@code judged} (the weight stays), then the rollback puts everything
   * back on the primary and fails the Canary.
   */
  private void rolledBackByTheJudge(String judged) {
    // tick 4: pre-rollout, weight 10 (no checks on the first step)
    run.tick();
    assertThat(canaryWeights()).containsExactly(90, 10);
    // ticks 5, 6: the thresholds pass, the judge fails twice
    run.tick();
    run.tick();
    assertThat(run.fixture.get().getStatus().failedChecks()).isEqualTo(2);
    assertThat(canaryWeights()).containsExactly(90, 10);
    // tick 7: threshold reached, rollback
    run.tick();

    assertThat(run.events.messages()).filteredOn(m -> m.startsWith(judged)).hasSize(2);
    assertThat(run.events.messages())
        .containsSubsequence(
            "Advance podinfo.default canary weight 10",
            "Rolling back podinfo.default failed checks threshold reached 2",
            "Canary failed! Scaling down podinfo.default");
    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.FAILED);
    assertThat(canaryWeights()).containsExactly(100, 0);
  }

  /** Promoted in three steps without a Judge event, {@code metric}'s judgement a pass. */
  private void promotedByTheJudge(String metric) {
    run.promoteInThreeSteps(this::canaryWeights);

    assertThat(score()).isEqualTo(100);
    assertThat(run.events.messages()).noneMatch(m -> m.startsWith("Judge "));
    assertThat(run.fixture.get().getStatus().decisionsOrEmpty())
        .flatMap(d -> d.checks())
        .anyMatch(c -> c.name().equals(metric + " (judge)") && "pass".equals(c.result()));
  }

  @Test
  void aCanary40msSlowerThanItsBaselineIsRolledBackByTheJudge() {
    canaryLatency = 140;
    run.initializeAndRollOut(spec());
    // the thresholds pass (140 ms <= 500 ms)
    rolledBackByTheJudge("Judge podinfo.default: score 50 < 75, request-duration worse by +");

    assertThat(run.events.messages()).noneMatch(m -> m.contains("request duration"));
    assertThat(score()).isEqualTo(50);
  }

  @Test
  void anIdenticalCanaryIsPromoted() {
    run.initializeAndRollOut(spec());
    promotedByTheJudge("request-duration");
  }

  /**
   * The success rate judged as counts (Fisher's exact test): {@code min: 80} as the hard limit, a
   * lower success rate is bad.
   */
  private CanarySpec countedSpec() {
    CanarySpec s = run.spec("istio", null, 10, null, null, null);
    CanaryMetric rate =
        new CanaryMetric(
            "request-success-rate",
            "1m",
            null,
            new ThresholdRange(80.0, null),
            null,
            null,
            null,
            new MetricComparison("decrease", null, null, null, "proportion"));
    return CanaryFixture.withAnalysis(
        s, CanaryFixture.judged(s.analysis(), List.of(rate), null, true));
  }

  @Test
  void aCanaryWithSevenFailedRequestsInFiftyAgainstNoneIsRolledBackByFishersTest() {
    // 43/50 against 50/50: one-sided Fisher p = C(50,7)/C(100,7) = 0.0062 < 0.01 (5 failures,
    // p = 0.028, would not be evidence yet); the success-rate threshold (99.9 % > 80 %) passes
    canarySuccesses = 43;
    run.initializeAndRollOut(countedSpec());
    rolledBackByTheJudge(
        "Judge podinfo.default: score 0 < 75, request-success-rate worse by -14% 43/50 (86.00%)"
            + " against 50/50 (100.00%), Fisher p 0.0062");

    assertThat(score()).isEqualTo(0);
  }

  @Test
  void aCanaryWithTheBaselinesCountsIsPromotedByFishersTest() {
    run.initializeAndRollOut(countedSpec());
    promotedByTheJudge("request-success-rate");
  }
}
