package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.router.kuma.KumaFixtures;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.canary.ThresholdRange;
import app.flagger.model.common.NamedReference;
import app.flagger.model.common.SecretReference;
import app.flagger.model.metric.MetricTemplate;
import app.flagger.model.metric.MetricTemplateProvider;
import app.flagger.model.metric.MetricTemplateSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@code kuma} Canary whose only metric is a MetricTemplate check of type {@code newrelic},
 * {@code graphite} or {@code dynatrace}, run through the controller wired as in production ({@link
 * StandardRun}) on the mock API server: the template and its Secret come from the API, the vendor's
 * HTTP API is a stub answering {@link #errorRate} in its own response shape. Healthy values promote
 * the Canary; a too-high value rolls it back.
 */
@EnableKubernetesMockClient(crud = true)
class HttpMetricProvidersCanaryRunKubeTest {
  private static final String ACCOUNT = "1234567";

  KubernetesClient client;
  StandardRun run;
  final MockWebServer vendor = new MockWebServer();
  final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

  /** The error rate the vendor's API reports; the check allows at most 5. */
  volatile String errorRate = "0.5";

  @BeforeEach
  void setUp() throws Exception {
    KumaFixtures.registerCrd(client);
    run = new StandardRun(client, "100");
    vendor.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            requests.add(r);
            return new MockResponse.Builder().code(200).body(answer(r)).build();
          }
        });
    vendor.start();
  }

  @AfterEach
  void tearDown() throws IOException {
    run.close();
    vendor.close();
  }

  /** The vendor's answer to {@code r}, in its documented shape, with {@link #errorRate}. */
  private String answer(RecordedRequest r) {
    String path = r.getUrl().encodedPath();
    return switch (path) {
      case "/v1/accounts/" + ACCOUNT + "/query" -> "{\"results\":[{\"result\":" + errorRate + "}]}";
      case "/render" ->
          "[{\"target\":\"errors\",\"datapoints\":[["
              + errorRate
              + ",1796515200],[null,1796515210]]}]";
      case "/api/v2/metrics/query" ->
          "{\"totalCount\":1,\"nextPageKey\":null,\"resolution\":\"Inf\",\"result\":[{\"metricId\":"
              + "\"errors\",\"data\":[{\"dimensions\":[],\"dimensionMap\":{},\"timestamps\":"
              + "[1796515200000],\"values\":["
              + errorRate
              + "]}]}]}";
      case "/api/v2/metrics" -> "{\"totalCount\":1,\"nextPageKey\":null,\"metrics\":[]}";
      default -> "unexpected path " + path;
    };
  }

  /** The MetricTemplate {@code error-rate} of {@code type} and its Secret, and the Canary. */
  private CanarySpec canaryWithTemplateOf(String type) {
    Map<String, String> secret =
        switch (type) {
          case "newrelic" -> Map.of("newrelic_account_id", ACCOUNT, "newrelic_query_key", "qk");
          case "graphite" -> Map.of("username", "flagger", "password", "s3cr3t");
          default -> Map.of("dynatrace_token", "dt0c01.token");
        };
    String query =
        switch (type) {
          case "newrelic" ->
              "SELECT percentage(count(*), WHERE error IS true) FROM Transaction"
                  + " WHERE appName = '{{ target }}'";
          case "graphite" ->
              "target=stats.{{ namespace }}.{{ target }}.errors&from=-{{ interval }}";
          default -> "builtin:service.errors.total.rate:filter(eq(service,{{ target }}))";
        };
    client
        .secrets()
        .inNamespace(CanaryFixture.NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(type + "-creds")
                .withNamespace(CanaryFixture.NS)
                .endMetadata()
                .withStringData(secret)
                .build())
        .create();
    MetricTemplate template = new MetricTemplate();
    template.setMetadata(
        new ObjectMetaBuilder().withName("error-rate").withNamespace(CanaryFixture.NS).build());
    template.setSpec(
        new MetricTemplateSpec(
            new MetricTemplateProvider(
                type,
                vendor.url("/").toString(),
                null,
                new SecretReference(type + "-creds"),
                null,
                null),
            query));
    client.resources(MetricTemplate.class).resource(template).create();

    CanarySpec base = run.spec("kuma", null, 10, null, null, null);
    CanaryAnalysis a = base.analysis();
    List<CanaryMetric> metrics =
        List.of(
            new CanaryMetric(
                "error-rate",
                "1m",
                null,
                new ThresholdRange(null, 5.0),
                null,
                new NamedReference("error-rate", null),
                null));
    CanaryAnalysis analysis = ReportingKubeTest.withMetrics(a, metrics);
    return new CanarySpec(
        base.provider(),
        base.metricsServer(),
        base.targetRef(),
        base.autoscalerRef(),
        base.ingressRef(),
        base.routeRef(),
        base.upstreamRef(),
        base.service(),
        analysis,
        null,
        base.progressDeadlineSeconds(),
        base.skipAnalysis(),
        base.revertOnDeletion(),
        base.suspend());
  }

  /** Primary and canary weight as the Canary's status reports them. */
  private List<Integer> weights() {
    int canary = run.fixture.get().getStatus().canaryWeightOrZero();
    return List.of(100 - canary, canary);
  }

  /** The provider's online probe: Flagger's isOnline request of each vendor. */
  private static boolean probe(RecordedRequest r) {
    return r.getUrl().encodedPath().equals("/api/v2/metrics")
        || "SELECT * FROM Metric SINCE 60 seconds ago".equals(r.getUrl().queryParameter("nrql"))
        || "test".equals(r.getUrl().queryParameter("target"));
  }

  private List<RecordedRequest> queries() {
    return requests.stream().filter(r -> !probe(r)).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"newrelic", "graphite", "dynatrace"})
  void promotesWhileTheVendorReportsAHealthyErrorRate(String type) {
    run.createCanary(canaryWithTemplateOf(type));
    run.tick();
    assertThat(run.events.messages()).contains("all the metrics providers are available!");
    assertThat(requests).hasSize(1).allMatch(HttpMetricProvidersCanaryRunKubeTest::probe);
    run.initializeAndRollOut(run.fixture.get().getSpec());
    run.promoteInThreeSteps(this::weights);

    assertThat(run.events.messages())
        .noneMatch(m -> m.contains("error-rate") || m.contains("not avaiable"));
    assertThat(queries()).hasSizeGreaterThanOrEqualTo(3);
    RecordedRequest query = queries().get(0);
    switch (type) {
      case "newrelic" -> {
        assertThat(query.getUrl().queryParameter("nrql"))
            .isEqualTo(
                "SELECT percentage(count(*), WHERE error IS true) FROM Transaction"
                    + " WHERE appName = 'podinfo' SINCE 60 seconds ago");
        assertThat(query.getHeaders().get("X-Query-Key")).isEqualTo("qk");
      }
      case "graphite" -> {
        assertThat(query.getUrl().queryParameter("target"))
            .isEqualTo("stats.default.podinfo.errors");
        assertThat(query.getUrl().queryParameter("from")).isEqualTo("-1m");
        assertThat(query.getUrl().queryParameter("format")).isEqualTo("json");
        assertThat(query.getHeaders().get("Authorization")).startsWith("Basic ");
      }
      default -> {
        assertThat(query.getUrl().queryParameter("metricSelector"))
            .isEqualTo("builtin:service.errors.total.rate:filter(eq(service,podinfo))");
        long from = Long.parseLong(query.getUrl().queryParameter("from"));
        long to = Long.parseLong(query.getUrl().queryParameter("to"));
        assertThat(to - from).isEqualTo(600_000);
        assertThat(query.getHeaders().get("Authorization")).isEqualTo("Api-Token dt0c01.token");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"newrelic", "graphite", "dynatrace"})
  void rollsBackWhenTheVendorReportsTooManyErrors(String type) {
    run.initializeAndRollOut(canaryWithTemplateOf(type));
    run.rollBackAfterTwoFailedChecks(
        this::weights,
        () -> errorRate = "7.2",
        "Halt podinfo.default advancement error-rate 7.20 > 5");
  }
}
