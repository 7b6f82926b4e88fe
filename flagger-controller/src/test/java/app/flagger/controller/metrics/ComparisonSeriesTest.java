package app.flagger.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.judge.MetricInput;
import app.flagger.controller.judge.MetricSamples;
import app.flagger.controller.metrics.FakeMetrics.FakeFactory;
import app.flagger.controller.metrics.FakeMetrics.FakeLookup;
import app.flagger.controller.metrics.MetricAnalysis.Comparisons;
import app.flagger.controller.metrics.providers.MetricsProviderException;
import app.flagger.controller.metrics.providers.NoValuesFoundException;
import app.flagger.controller.metrics.providers.RangeWindow;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.MetricComparison;
import app.flagger.model.canary.ThresholdRange;
import app.flagger.model.common.NamedReference;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The judge's samples: which queries are sent for the canary and the baseline, and the errors. */
class ComparisonSeriesTest {
  private static final Instant END = Instant.parse("2026-12-06T05:00:00Z");
  private static final MetricComparison SLOWER_IS_BAD =
      new MetricComparison("increase", null, null, null, null);
  private static final double[] CANARY = {140, 141, 139};
  private static final double[] BASELINE = {100, 101, 99};

  private final FakeFactory factory = new FakeFactory();
  private final FakeLookup lookup = new FakeLookup();

  private Comparisons compare(String mesh, Canary canary) {
    return new MetricChecks(mesh, "http://prometheus:9090", factory, lookup).compare(canary, END);
  }

  private static CanaryMetric compared(String name, MetricComparison comparison) {
    return new CanaryMetric(
        name, "1m", null, new ThresholdRange(null, 500.0), null, null, null, comparison);
  }

  private static CanaryMetric templated(MetricComparison comparison) {
    return new CanaryMetric(
        "cpu", "30s", null, null, null, new NamedReference("tmpl", null), null, comparison);
  }

  /** podinfo.test with these metrics, with or without {@code analysis.baseline}. */
  private static Canary canary(boolean baseline, CanaryMetric... metrics) {
    Canary c = FakeMetrics.canary(null);
    c.setSpec(
        CanaryFixture.withAnalysis(
            c.getSpec(),
            CanaryFixture.judged(c.getSpec().analysis(), List.of(metrics), null, baseline)));
    return c;
  }

  private static double[] canarySeries(Comparisons c, int i) {
    return ((MetricSamples.Series) c.inputs().get(i).samples()).canary();
  }

  private static double[] baselineSeries(Comparisons c, int i) {
    return ((MetricSamples.Series) c.inputs().get(i).samples()).baseline();
  }

  @Test
  void istiosBuiltinDurationIsReadForTheCanaryAndTheBaselineWorkload() {
    factory.prometheus.series.put("destination_workload=~\"podinfo-baseline\"", BASELINE);
    factory.prometheus.series.put("destination_workload=~\"podinfo\"", CANARY);

    Comparisons c = compare("istio", canary(true, compared("request-duration", SLOWER_IS_BAD)));

    assertThat(c.failure()).isEmpty();
    assertThat(c.inputs()).extracting(MetricInput::name).containsExactly("request-duration");
    assertThat(canarySeries(c, 0)).containsExactly(CANARY);
    assertThat(baselineSeries(c, 0)).containsExactly(BASELINE);
    String sel = "reporter=\"destination\",destination_workload_namespace=\"test\",";
    assertThat(factory.prometheus.rangeQueries)
        .containsExactly(
            "histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{"
                + sel
                + "destination_workload=~\"podinfo\"}[1m])) by (le))",
            "histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{"
                + sel
                + "destination_workload=~\"podinfo-baseline\"}[1m])) by (le))");
    assertThat(factory.prometheus.windows)
        .containsOnly(new RangeWindow(END.minusSeconds(60), END, Duration.ofSeconds(2)));
  }

  @Test
  void withoutABaselineTheCanaryIsComparedWithThePrimary() {
    factory.prometheus.series.put("destination_workload=~\"podinfo-primary\"", BASELINE);
    factory.prometheus.series.put("destination_workload=~\"podinfo\"", CANARY);

    Comparisons c =
        compare("istio", canary(false, compared("request-success-rate", SLOWER_IS_BAD)));

    assertThat(c.failure()).isEmpty();
    assertThat(baselineSeries(c, 0)).containsExactly(BASELINE);
    assertThat(factory.prometheus.rangeQueries.get(1))
        .contains("destination_workload=~\"podinfo-primary\"", "response_code!~\"5.*\"");
  }

  @Test
  void linkerdsBuiltinsHaveABaselineVariantByDeploymentName() {
    factory.prometheus.series.put("deployment=~\"podinfo-baseline\"", BASELINE);
    factory.prometheus.series.put("deployment=~\"podinfo\"", CANARY);

    Comparisons c = compare("linkerd", canary(true, compared("request-duration", SLOWER_IS_BAD)));

    assertThat(c.failure()).isEmpty();
    assertThat(baselineSeries(c, 0)).containsExactly(BASELINE);
  }

  @Test
  void aTemplateIsRenderedWithTargetAsTheBaselineForTheBaselineAndKnowsTheBaselineInBoth() {
    lookup.template(
        "test",
        "tmpl",
        "sum(rate(cpu{pod=~\"{{ target }}-.*\"}[{{ interval }}])) / ignoring(x)"
            + " sum(rate(cpu{pod=~\"{{ baseline }}-.*\"}[{{ interval }}]))",
        null);
    factory.templates.series.put("pod=~\"podinfo-.*\"}[30s])) /", CANARY);
    factory.templates.series.put("pod=~\"podinfo-baseline-.*\"}[30s])) /", BASELINE);

    Comparisons c = compare("istio", canary(true, templated(SLOWER_IS_BAD)));

    assertThat(c.failure()).isEmpty();
    assertThat(factory.templates.rangeQueries)
        .containsExactly(
            "sum(rate(cpu{pod=~\"podinfo-.*\"}[30s])) / ignoring(x)"
                + " sum(rate(cpu{pod=~\"podinfo-baseline-.*\"}[30s]))",
            "sum(rate(cpu{pod=~\"podinfo-baseline-.*\"}[30s])) / ignoring(x)"
                + " sum(rate(cpu{pod=~\"podinfo-baseline-.*\"}[30s]))");
    assertThat(canarySeries(c, 0)).containsExactly(CANARY);
    assertThat(baselineSeries(c, 0)).containsExactly(BASELINE);
    assertThat(factory.templates.windows)
        .containsOnly(new RangeWindow(END.minusSeconds(30), END, Duration.ofSeconds(1)));
  }

  @Test
  void aTemplateProviderWithoutSeriesIsRefusedNamingTheMetricAndTheProvider() {
    lookup.template("test", "tmpl", "cpu{pod=~\"{{ target }}\"}", null);
    factory.templates.ranges = false;

    Comparisons c = compare("istio", canary(true, templated(SLOWER_IS_BAD)));

    assertThat(c.failure())
        .contains(
            "metric cpu: provider prometheus of metric template tmpl.test gives no series (range"
                + " queries), which a comparison needs");
    assertThat(factory.templates.rangeQueries).isEmpty();
  }

  @Test
  void theProviderCheckWarnsOfATemplateProviderWithoutSeriesAtInitialization() {
    lookup.template("test", "tmpl", "cpu{pod=~\"{{ target }}\"}", null);
    factory.templates.ranges = false;
    MetricChecks checks = new MetricChecks("istio", "http://prometheus:9090", factory, lookup);

    assertThat(checks.checkProviders(canary(true, templated(SLOWER_IS_BAD))))
        .contains(
            "metric cpu sets comparison but prometheus in metric template tmpl.test gives no"
                + " series (range queries)");
    assertThat(checks.checkProviders(canary(true, templated(null)))).isEmpty();
  }

  @Test
  void builtinsOfARouteBasedProviderHaveNoBaselineVariant() {
    Comparisons c = compare("nginx", canary(true, compared("request-duration", SLOWER_IS_BAD)));

    assertThat(c.failure())
        .contains(
            "metric request-duration: the builtin query of provider nginx has no baseline"
                + " variant; compare a MetricTemplate using {{ baseline }} instead");
  }

  private static final MetricComparison FEWER_SUCCESSES_ARE_BAD =
      new MetricComparison("decrease", null, null, null, "proportion");

  private static CanaryMetric countedTemplate(String total) {
    return new CanaryMetric(
        "errors",
        "2m",
        null,
        null,
        null,
        new NamedReference("errors", null),
        null,
        new MetricComparison(
            "increase", null, null, null, "proportion", new NamedReference(total, null)));
  }

  @Test
  void aSuccessRateProportionIsReadAsIstiosRequestCountsOfTheCanaryAndTheBaseline() {
    String sel = "reporter=\"destination\",destination_workload_namespace=\"test\",";
    String canarySel = sel + "destination_workload=~\"podinfo\"";
    String baselineSel = sel + "destination_workload=~\"podinfo-baseline\"";
    factory.prometheus.answer(canarySel + ",response_code", 45.4);
    factory.prometheus.answer(canarySel + "}", 50.2);
    factory.prometheus.answer(baselineSel + ",response_code", 50.0);
    factory.prometheus.answer(baselineSel + "}", 50.0);

    Comparisons c =
        compare("istio", canary(true, compared("request-success-rate", FEWER_SUCCESSES_ARE_BAD)));

    assertThat(c.failure()).isEmpty();
    assertThat(c.inputs().get(0).samples()).isEqualTo(new MetricSamples.Counts(45, 50, 50, 50));
    assertThat(factory.prometheus.queries)
        .containsExactly(
            "sum(increase(istio_requests_total{" + canarySel + ",response_code!~\"5.*\"}[1m]))",
            "sum(increase(istio_requests_total{" + canarySel + "}[1m]))",
            "sum(increase(istio_requests_total{" + baselineSel + ",response_code!~\"5.*\"}[1m]))",
            "sum(increase(istio_requests_total{" + baselineSel + "}[1m]))");
    assertThat(factory.prometheus.rangeQueries).isEmpty();
  }

  @Test
  void linkerdsSuccessCountsLeaveOutFailuresOfInboundResponses() {
    factory.prometheus.answer("classification", 10.0);
    factory.prometheus.answer("response_total", 12.0);

    Comparisons c =
        compare(
            "linkerd", canary(false, compared("request-success-rate", FEWER_SUCCESSES_ARE_BAD)));

    assertThat(c.failure()).isEmpty();
    assertThat(c.inputs().get(0).samples()).isEqualTo(new MetricSamples.Counts(10, 12, 10, 12));
    assertThat(factory.prometheus.queries.subList(0, 2))
        .containsExactly(
            "sum(increase(response_total{namespace=\"test\",deployment=~\"podinfo\","
                + "classification!=\"failure\",direction=\"inbound\"}[1m]))",
            "sum(increase(response_total{namespace=\"test\",deployment=~\"podinfo\","
                + "direction=\"inbound\"}[1m]))");
    assertThat(factory.prometheus.queries.get(2)).contains("deployment=~\"podinfo-primary\"");
  }

  @Test
  void aTemplateProportionCountsEventsWithItsTemplateAndAllEventsWithTheTotalTemplate() {
    lookup.template(
        "test",
        "errors",
        "sum(increase(http_requests_total{pod=~\"{{ target }}-.*\",code=~\"5..\"}[{{ interval }}]))",
        null);
    lookup.template(
        "test",
        "requests",
        "sum(increase(http_requests_total{pod=~\"{{ target }}-.*\"}[{{ interval }}]))",
        null);
    factory.templates.answer("podinfo-baseline-.*\",code", new NoValuesFoundException());
    factory.templates.answer("podinfo-baseline-.*\"}", 49.6);
    factory.templates.answer("podinfo-.*\",code", 7.0);
    factory.templates.answer("podinfo-.*\"}", 50.0);

    Comparisons c = compare("istio", canary(true, countedTemplate("requests")));

    assertThat(c.failure()).isEmpty();
    // no series of errors for the baseline is no errors
    assertThat(c.inputs().get(0).samples()).isEqualTo(new MetricSamples.Counts(7, 50, 0, 50));
    assertThat(factory.templates.queries)
        .containsExactly(
            "sum(increase(http_requests_total{pod=~\"podinfo-.*\",code=~\"5..\"}[2m]))",
            "sum(increase(http_requests_total{pod=~\"podinfo-.*\"}[2m]))",
            "sum(increase(http_requests_total{pod=~\"podinfo-baseline-.*\",code=~\"5..\"}[2m]))",
            "sum(increase(http_requests_total{pod=~\"podinfo-baseline-.*\"}[2m]))");
  }

  @Test
  void aMissingTotalTemplateNamesTheMetricAndTheTemplate() {
    lookup.template("test", "errors", "errors{pod=~\"{{ target }}\"}", null);

    Comparisons c = compare("istio", canary(true, countedTemplate("requests")));

    assertThat(c.failure())
        .contains(
            "metric errors: Metric template requests.test error: metrictemplates.flagger.app"
                + " \"requests\" not found");
    MetricChecks checks = new MetricChecks("istio", "http://prometheus:9090", factory, lookup);
    assertThat(checks.checkProviders(canary(true, countedTemplate("requests"))))
        .contains(
            "metric errors totalTemplateRef: metric template requests.test error:"
                + " metrictemplates.flagger.app \"requests\" not found");
  }

  @Test
  void aCountThatIsNoCountOrAFailedQueryNamesTheMetricAndTheTemplate() {
    lookup.template("test", "errors", "errors{pod=~\"{{ target }}\"}", null);
    lookup.template("test", "requests", "requests{pod=~\"{{ target }}\"}", null);
    factory.templates.answer("errors", -3.0);
    factory.templates.answer("requests", 50.0);

    assertThat(compare("istio", canary(true, countedTemplate("requests"))).failure())
        .contains(
            "metric errors: count query of provider prometheus of metric template errors.test"
                + " returned -3.0, not a count: errors{pod=~\"podinfo\"}");

    factory.templates.answers.clear();
    factory.templates.answer("errors", 1.0);
    factory.templates.answer(
        "requests", new MetricsProviderException("error response: Status 503: down"));
    assertThat(compare("istio", canary(true, countedTemplate("requests"))).failure())
        .contains(
            "metric errors: count query of provider prometheus of metric template requests.test"
                + " failed: error response: Status 503: down");
  }

  @Test
  void proportionsNeedNoRangeQueriesSoAnyTemplateProviderPassesTheProviderCheck() {
    lookup.template("test", "errors", "errors{pod=~\"{{ target }}\"}", null);
    lookup.template("test", "requests", "requests{pod=~\"{{ target }}\"}", null);
    factory.templates.ranges = false;
    factory.templates.answer("errors", 1.0);
    factory.templates.answer("requests", 50.0);
    MetricChecks checks = new MetricChecks("istio", "http://prometheus:9090", factory, lookup);

    assertThat(checks.checkProviders(canary(true, countedTemplate("requests")))).isEmpty();
    assertThat(compare("istio", canary(true, countedTemplate("requests"))).inputs())
        .extracting(MetricInput::samples)
        .containsExactly(new MetricSamples.Counts(1, 50, 1, 50));
  }

  @Test
  void aSuccessRateProportionOfARouteBasedProviderHasNoBaselineVariant() {
    Comparisons c =
        compare("nginx", canary(true, compared("request-success-rate", FEWER_SUCCESSES_ARE_BAD)));

    assertThat(c.failure())
        .contains(
            "metric request-success-rate: the builtin query of provider nginx has no baseline"
                + " variant; compare a MetricTemplate using {{ baseline }} instead");
    assertThat(factory.prometheus.queries).isEmpty();
  }

  @Test
  void aFailingRangeQueryNamesTheMetricAndTheProvider() {
    factory.prometheus.series.put(
        "podinfo", new MetricsProviderException("error response: Status 503: down"));

    Comparisons c = compare("istio", canary(true, compared("request-duration", SLOWER_IS_BAD)));

    assertThat(c.failure())
        .contains(
            "metric request-duration: range query of prometheus failed: error response: Status"
                + " 503: down");
  }

  @Test
  void metricsWithoutAComparisonAreNotRead() {
    Comparisons c =
        compare("istio", canary(true, FakeMetrics.metric("request-duration", null, 500.0)));

    assertThat(c).isEqualTo(Comparisons.NONE);
    assertThat(c.failure()).isEqualTo(Optional.empty());
    assertThat(factory.prometheus.rangeQueries).isEmpty();
  }
}
