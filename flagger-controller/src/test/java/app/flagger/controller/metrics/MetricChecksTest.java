package app.flagger.controller.metrics;

import static app.flagger.controller.metrics.FakeMetrics.canary;
import static app.flagger.controller.metrics.FakeMetrics.metric;
import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.metrics.FakeMetrics.FakeFactory;
import app.flagger.controller.metrics.FakeMetrics.FakeLookup;
import app.flagger.controller.metrics.MetricAnalysis.ObservedValue;
import app.flagger.controller.metrics.providers.MetricsProviderException;
import app.flagger.controller.metrics.providers.NoValuesFoundException;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.ThresholdRange;
import app.flagger.model.common.NamedReference;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricChecksTest {
  private static final String SUCCESS = "istio_requests_total";
  private static final String DURATION = "istio_request_duration_milliseconds_bucket";

  private final FakeFactory factory = new FakeFactory();
  private final FakeLookup lookup = new FakeLookup();
  private final MetricChecks checks =
      new MetricChecks("istio", "http://prometheus:9090", factory, lookup);

  private String failure(Canary canary) {
    return checks.run(canary).failure().orElse("<passed>");
  }

  private static CanaryMetric inline(String name, String query, Double threshold) {
    return new CanaryMetric(name, "1m", threshold, null, query, null, null);
  }

  private static CanaryMetric template(String name, Double max) {
    return template(name, max, Map.of("reporter", "source"));
  }

  private static CanaryMetric template(String name, Double max, Map<String, String> variables) {
    return new CanaryMetric(
        name,
        "1m",
        null,
        new ThresholdRange(null, max),
        null,
        new NamedReference("tmpl", null),
        variables);
  }

  @Test
  void successRateBelowMin() {
    factory.prometheus.answer(SUCCESS, 98.6875);
    assertThat(failure(canary(null, metric("request-success-rate", 99.0, null))))
        .isEqualTo("Halt podinfo.test advancement success rate 98.69% < 99%");
  }

  @Test
  void successRateAboveMax() {
    factory.prometheus.answer(SUCCESS, 100.0);
    assertThat(failure(canary(null, metric("request-success-rate", null, 99.5))))
        .isEqualTo("Halt podinfo.test advancement success rate 100.00% > 99.5%");
  }

  @Test
  void successRateBelowDeprecatedThreshold() {
    factory.prometheus.answer(SUCCESS, 95.0);
    CanaryMetric m = new CanaryMetric("request-success-rate", "1m", 99.0, null, null, null, null);
    assertThat(failure(canary(null, m)))
        .isEqualTo("Halt podinfo.test advancement success rate 95.00% < 99%");
  }

  @Test
  void durationAboveMaxPrintsGoDurations() {
    factory.prometheus.answer(DURATION, 1515.7);
    assertThat(failure(canary(null, metric("request-duration", null, 500.0))))
        .isEqualTo("Halt podinfo.test advancement request duration 1.515s > 500ms");
  }

  @Test
  void durationBelowMin() {
    factory.prometheus.answer(DURATION, 5.0);
    assertThat(failure(canary(null, metric("request-duration", 10.0, null))))
        .isEqualTo("Halt podinfo.test advancement request duration 5ms < 10ms");
  }

  @Test
  void noValuesForTheBuiltins() {
    factory.prometheus.answer(SUCCESS, new NoValuesFoundException());
    assertThat(failure(canary(null, metric("request-success-rate", 99.0, null))))
        .isEqualTo(
            "Halt advancement no values found for istio metric request-success-rate probably"
                + " podinfo.test is not receiving traffic: running query failed: no values found");
    factory.prometheus.answers.clear();
    factory.prometheus.answer(DURATION, new NoValuesFoundException());
    assertThat(failure(canary(null, metric("request-duration", null, 500.0))))
        .isEqualTo(
            "Halt advancement no values found for istio metric request-duration probably"
                + " podinfo.test is not receiving traffic");
  }

  @Test
  void otherBuiltinErrors() {
    factory.prometheus.answer(SUCCESS, new MetricsProviderException("request failed: refused"));
    assertThat(failure(canary(null, metric("request-success-rate", 99.0, null))))
        .isEqualTo("Prometheus query failed: running query failed: request failed: refused");
  }

  @Test
  void inlineQueries() {
    factory.prometheus.answer("errors", 12.0);
    assertThat(failure(canary(null, inline("errs", "errors{ns=\"{{ namespace }}\"}", 10.0))))
        .isEqualTo("Halt podinfo.test advancement errs 12.00 > 10");
    assertThat(factory.prometheus.queries).containsExactly("errors{ns=\"test\"}");
    factory.prometheus.answers.clear();
    factory.prometheus.answer("errors", new NoValuesFoundException());
    assertThat(failure(canary(null, inline("errs", "errors", 10.0))))
        .isEqualTo("Halt advancement no values found for metric: errs");
    factory.prometheus.answers.clear();
    factory.prometheus.answer("errors", new MetricsProviderException("boom"));
    assertThat(failure(canary(null, inline("errs", "errors", 10.0))))
        .isEqualTo("Prometheus query failed for errs: boom");
  }

  @Test
  void templateErrors() {
    Canary canary = canary(null, template("latency", 1.0));
    assertThat(failure(canary))
        .isEqualTo(
            "Metric template tmpl.test error: metrictemplates.flagger.app \"tmpl\" not found");
    lookup.template("test", "tmpl", "latency", "prom-auth");
    assertThat(failure(canary))
        .isEqualTo(
            "Metric template tmpl.test secret prom-auth error: secrets \"prom-auth\" not found");
    lookup.secrets.put("test/prom-auth", Map.of("token", "t"));
    factory.constructionError = new MetricsProviderException("bad address");
    assertThat(failure(canary))
        .isEqualTo("Metric template tmpl.test provider prometheus error: bad address");
    factory.constructionError = null;
    lookup.template("test", "tmpl", "latency{r=\"{{ variables.missing }}\"}", null);
    assertThat(failure(canary))
        .isEqualTo(
            "Metric template tmpl.test query render error: template excution failed: template:"
                + " query:1: executing \"query\" at <variables.missing>: map has no entry for key"
                + " \"missing\"");
  }

  /** A template check whose variable would break out of the query fails before any query. */
  @Test
  void injectedTemplateVariableFailsTheCheckWithoutQuerying() {
    lookup.template("test", "tmpl", "errors{app=\"{{ variables.app }}\"} > 1", null);
    factory.templates.answer("errors", 0.0);
    CanaryMetric metric = template("errors", 0.0, Map.of("app", "x\"} or vector(100) #"));
    assertThat(failure(canary(null, metric)))
        .isEqualTo(
            "Metric template tmpl.test query render error: template excution failed: template:"
                + " query:1: executing \"query\" at <variables.app>: variables.app 'x\"} or"
                + " vector(100) #' is not a plain label value: expected letters, digits and . _ -"
                + " / : only");
    assertThat(factory.templates.queries).isEmpty();
  }

  @Test
  void templateQueryResults() {
    lookup.template("test", "tmpl", "latency{r=\"{{ variables.reporter }}\"}", null);
    Canary canary = canary(null, template("latency", 1.0));
    factory.templates.answer("latency", new NoValuesFoundException());
    assertThat(failure(canary))
        .isEqualTo("Halt advancement no values found for custom metric: latency: no values found");
    assertThat(factory.lastInterval)
        .as("the metric's interval reaches the provider")
        .isEqualTo("1m");
    factory.templates.answers.clear();
    factory.templates.answer("latency", new MetricsProviderException("error response: x"));
    assertThat(failure(canary)).isEqualTo("Metric query failed for latency: error response: x");
    factory.templates.answers.clear();
    factory.templates.answer("latency", 1.25);
    assertThat(failure(canary)).isEqualTo("Halt podinfo.test advancement latency 1.25 > 1");
    assertThat(factory.templates.queries).contains("latency{r=\"source\"}");
  }

  @Test
  void theMetricIntervalReachesTheTemplateProviderDefaultingToOneMinute() {
    lookup.template("test", "tmpl", "latency", null);
    factory.templates.answer("latency", 0.5);
    Map<String, String> sent = new java.util.LinkedHashMap<>();
    for (String interval : new String[] {"5m", null}) {
      CanaryMetric metric = template("latency", 1.0);
      checks.run(
          canary(
              null,
              new CanaryMetric(
                  metric.name(),
                  interval,
                  null,
                  metric.thresholdRange(),
                  null,
                  metric.templateRef(),
                  null)));
      sent.put(String.valueOf(interval), factory.lastInterval);
    }
    assertThat(sent).containsExactly(Map.entry("5m", "5m"), Map.entry("null", "1m"));
  }

  @Test
  void metricWithoutQueryOrTemplate() {
    assertThat(failure(canary(null, metric("custom", null, 1.0))))
        .isEqualTo("Metric query failed for no usable metrics template and query were configured");
  }

  @Test
  void passingChecksReturnValuesBuiltinsFirstDurationInSeconds() {
    lookup.template("test", "tmpl", "latency", null);
    factory.templates.answer("latency", 0.5);
    factory.prometheus.answer(SUCCESS, 99.9).answer(DURATION, 250.0);
    Canary canary =
        canary(
            "http://override:9090",
            template("latency", 1.0),
            metric("request-success-rate", 99.0, null),
            metric("request-duration", null, 500.0));
    MetricAnalysis.Result result = checks.run(canary);
    assertThat(result.passed()).isTrue();
    assertThat(result.values())
        .containsExactly(
            new ObservedValue("request-success-rate", 99.9),
            new ObservedValue("request-duration", 0.25),
            new ObservedValue("latency", 0.5));
    assertThat(factory.addresses).containsOnly("http://override:9090");
  }

  @Test
  void providerAvailability() {
    Canary builtin = canary(null, metric("request-success-rate", 99.0, null));
    assertThat(checks.checkProviders(builtin)).isEmpty();
    factory.prometheus.offline = new MetricsProviderException("request failed: refused");
    assertThat(checks.checkProviders(builtin))
        .contains("prometheus not avaiable: request failed: refused");

    Canary withTemplate = canary(null, template("latency", 1.0));
    assertThat(checks.checkProviders(withTemplate))
        .contains(
            "metric template tmpl.test error: metrictemplates.flagger.app \"tmpl\" not found");
    lookup.template("test", "tmpl", "latency", null);
    factory.templates.offline = new MetricsProviderException("value is not 1 for query: vector(1)");
    assertThat(checks.checkProviders(withTemplate))
        .contains(
            "prometheus in metric template tmpl.test not avaiable: value is not 1 for query:"
                + " vector(1)");
  }

  @Test
  void knativeQueriesUseTheLatestCreatedRevision() {
    Canary canary = canary(null, metric("request-success-rate", 99.0, null));
    var spec = canary.getSpec();
    canary.setSpec(
        new app.flagger.model.canary.CanarySpec(
            "knative",
            null,
            new app.flagger.model.common.LocalObjectReference(
                "serving.knative.dev/v1", "Service", "podinfo"),
            null,
            null,
            null,
            null,
            null,
            spec.analysis(),
            null,
            null,
            null,
            null,
            null));
    factory.prometheus.answer("envoy_cluster_upstream_rq", 100.0);
    assertThat(checks.run(canary).passed()).isTrue();
    assertThat(factory.prometheus.queries.get(0))
        .contains("envoy_cluster_name=~\"test/podinfo-00002\"");
  }

  @Test
  void serviceTargetsReportTheSuffixedProviderKey() {
    Canary canary = canary(null, metric("request-duration", null, 500.0));
    var spec = canary.getSpec();
    canary.setSpec(
        new app.flagger.model.canary.CanarySpec(
            null,
            null,
            new app.flagger.model.common.LocalObjectReference("v1", "Service", "podinfo"),
            null,
            null,
            null,
            null,
            null,
            spec.analysis(),
            null,
            null,
            null,
            null,
            null));
    factory.prometheus.answer(DURATION, new NoValuesFoundException());
    assertThat(failure(canary))
        .isEqualTo(
            "Halt advancement no values found for istio:service metric request-duration probably"
                + " podinfo.test is not receiving traffic");
  }
}
