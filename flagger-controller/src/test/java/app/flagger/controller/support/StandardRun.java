package app.flagger.controller.support;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.ControllerConfig;
import app.flagger.controller.FlaggerController;
import app.flagger.controller.FlaggerControllerBuilder;
import app.flagger.controller.StandardComponents;
import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.controller.webhook.Backoff;
import app.flagger.controller.webhook.HelidonWebhookClient;
import app.flagger.model.alert.AlertProvider;
import app.flagger.model.alert.AlertProviderSpec;
import app.flagger.model.canary.CanaryAlert;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanaryService;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.canary.MetricComparison;
import app.flagger.model.canary.ThresholdRange;
import app.flagger.model.common.LocalObjectReference;
import app.flagger.model.common.NamedReference;
import app.flagger.model.istio.HttpMatchRequest;
import app.flagger.model.istio.StringMatch;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.helidon.metrics.api.MeterRegistry;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A controller wired as in production by {@link StandardComponents} on the mock API server, with a
 * Prometheus stub answering every builtin query (success rate {@link #successRate}, latency
 * quantiles {@code latency}) and a Slack stub recording posts; ticks are driven by hand on a manual
 * clock. Used by the per-provider end-to-end tests ({@code *CanaryRunKubeTest}).
 */
public final class StandardRun implements AutoCloseable {
  public final KubernetesClient client;
  public final MockWebServer prometheus = new MockWebServer();
  public final MockWebServer slack = new MockWebServer();
  public final List<JsonObject> slackPosts = new CopyOnWriteArrayList<>();
  public final MutableClock clock = MutableClock.atEpochDay();
  public final RecordingEvents events = new RecordingEvents();
  public final MeterRegistry registry = MeterRegistry.create();
  public final CanaryFixture fixture;
  public final FakeDeploymentController deployments;
  public final FlaggerController controller;
  private final List<Runnable> afterTick = new CopyOnWriteArrayList<>();

  /** The A/B condition of the end-to-end tests: header {@code x-canary: insider}. */
  public static final HttpMatchRequest INSIDER =
      new HttpMatchRequest(
          null,
          null,
          null,
          null,
          null,
          Map.of("x-canary", StringMatch.exact("insider")),
          null,
          null,
          null,
          null,
          null,
          null,
          null);

  /** The events of a progressive promotion through weights 10, 20 and 30, in order. */
  public static final List<String> PROMOTION_EVENTS =
      List.of(
          "Starting canary analysis for podinfo.default",
          "Advance podinfo.default canary weight 10",
          "Advance podinfo.default canary weight 20",
          "Advance podinfo.default canary weight 30",
          "Copying podinfo.default template spec to podinfo-primary.default",
          "Promotion completed! Scaling down podinfo.default");

  /** The events of a rollback after weight 10 when the success rate drops to 98.69% twice. */
  public static final List<String> ROLLBACK_EVENTS =
      List.of(
          "Advance podinfo.default canary weight 10",
          "Halt podinfo.default advancement success rate 98.69% < 99%",
          "Rolling back podinfo.default failed checks threshold reached 2",
          "Canary failed! Scaling down podinfo.default");

  /** The success rate Prometheus reports; tests lower it to fail the analysis. */
  public volatile String successRate = "99.9";

  /**
   * @param client the mock API server's client, Flagger's CRDs not yet registered
   * @param latency the value of every {@code histogram_quantile} query (the unit depends on the
   *     provider's builtin query: milliseconds for Istio, seconds for the HTTP observer)
   */
  public StandardRun(KubernetesClient client, String latency) throws IOException {
    this(client, latency, (run, builder) -> builder);
  }

  /**
   * As {@link #StandardRun(KubernetesClient, String)}, with {@code customize} applied to the
   * standard builder before the controller is built (e.g. metric providers pointed at stubs); it
   * may use this run's {@link #clock} and {@link #registry}.
   */
  public StandardRun(
      KubernetesClient client,
      String latency,
      BiFunction<StandardRun, FlaggerControllerBuilder, FlaggerControllerBuilder> customize)
      throws IOException {
    this.client = client;
    prometheus.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            String query = r.getUrl().queryParameter("query");
            String value =
                query != null && query.contains("histogram_quantile") ? latency : successRate;
            // canary and baseline series alike: a comparison passes the judge
            return r.getUrl().encodedPath().endsWith("/query_range")
                ? matrix(Double.parseDouble(value), 0)
                : vector(value);
          }
        });
    slack.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            slackPosts.add(Json.createReader(new StringReader(r.getBody().utf8())).readObject());
            return new MockResponse.Builder().code(200).build();
          }
        });
    prometheus.start();
    slack.start();
    Crds.register(client);
    fixture = new CanaryFixture(client).seed();
    deployments = new FakeDeploymentController(client, CanaryFixture.NS);
    AlertProvider provider = new AlertProvider();
    provider.setMetadata(
        new ObjectMetaBuilder().withName("on-call").withNamespace(CanaryFixture.NS).build());
    provider.setSpec(
        new AlertProviderSpec(
            "slack", "alerts", "flagger", slack.url("/hook").toString(), null, null));
    client.resource(provider).create();
    controller =
        customize
            .apply(
                this,
                StandardComponents.builder(
                    client, ControllerConfig.defaults(), new ControllerMetrics(registry)))
            .clock(clock)
            .jobScheduler(new ManualJobScheduler())
            .registry(registry)
            .webhookClient(new HelidonWebhookClient(Backoff.NONE))
            .addEventSink(events)
            .build();
    controller.startCaches();
  }

  /** Prometheus' answer to a query: a vector of one sample with {@code value}. */
  /**
   * A one-series range answer: 31 values 2 s apart around {@code level}, with a deterministic
   * wiggle whose phase is {@code phase} (two different phases give two samples alike in level and
   * spread).
   */
  public static MockResponse matrix(double level, int phase) {
    StringBuilder values = new StringBuilder();
    double noise = Math.max(0.05, Math.abs(level) * 0.04);
    for (int i = 0; i < 31; i++) {
      double wave = phase == 0 ? Math.sin(i * 1.3) : Math.cos(i * 1.7);
      values.append(i == 0 ? "" : ",").append("[").append(1700000000 + 2 * i).append(",\"");
      values.append(level + noise * wave).append("\"]");
    }
    return new MockResponse.Builder()
        .code(200)
        .body(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":"
                + "[{\"metric\":{},\"values\":["
                + values
                + "]}]}}")
        .build();
  }

  public static MockResponse vector(String value) {
    return new MockResponse.Builder()
        .code(200)
        .body(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
                + "[{\"metric\":{},\"value\":[1700000000.0,\""
                + value
                + "\"]}]}}")
        .build();
  }

  /** Creates the Canary and lets the controller see it. */
  public void createCanary(CanarySpec spec) {
    fixture.create(spec);
    CacheSync.await(controller.cache(), client);
    controller.handler().sync(fixture.get());
  }

  /** Also runs {@code reconciler} after each tick (a test playing another controller). */
  public void afterEachTick(Runnable reconciler) {
    afterTick.add(reconciler);
  }

  /** One analysis tick, 10 s later, then the fake Deployment controller catches up. */
  public void tick() {
    CacheSync.await(controller.cache(), client);
    clock.advance(Duration.ofSeconds(10));
    controller.advancer().advance(CanaryFixture.NAME, CanaryFixture.NS);
    deployments.reconcileAll();
    afterTick.forEach(Runnable::run);
  }

  /**
   * Creates {@code spec} unless a Canary exists, initializes it (two ticks), rolls out a new
   * revision and starts the analysis (third tick); the events so far are cleared.
   */
  public void initializeAndRollOut(CanarySpec spec) {
    if (fixture.get() == null) {
      createCanary(spec);
    }
    // tick 1: primary created; tick 2: primary ready → Initialized
    tick();
    tick();
    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.INITIALIZED);
    fixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
    // tick 3: new revision → Progressing
    tick();
    events.clear();
  }

  /**
   * Ticks until the Canary succeeds (at most 20 ticks), returning {@code snapshot} (the routes)
   * after each.
   */
  public <T> List<T> runToPromotion(Supplier<T> snapshot) {
    List<T> seen = new ArrayList<>();
    for (int i = 0; i < 20 && fixture.get().getStatus().phase() != CanaryPhase.SUCCEEDED; i++) {
      tick();
      seen.add(snapshot.get());
    }
    return seen;
  }

  /**
   * The progressive run every provider test checks, after {@link #initializeAndRollOut}: the canary
   * weight goes 10, 20, 30 (the weights {@code weights} reads, primary then canary, checked after
   * each tick), then promotion ends Succeeded with everything on the primary.
   */
  public void promoteInThreeSteps(Supplier<? extends List<?>> weights) {
    assertThat(weights(weights)).containsExactly(100, 0);
    // ticks 4..6: analysis passes, canary weight 10, 20, 30 (maxWeight)
    tick();
    assertThat(weights(weights)).as(events.messages().toString()).containsExactly(90, 10);
    tick();
    assertThat(weights(weights)).containsExactly(80, 20);
    tick();
    assertThat(weights(weights)).containsExactly(70, 30);
    // tick 7: promotion; tick 8: Finalising; tick 9: Succeeded, everything on the primary
    tick();
    tick();
    tick();
    assertThat(events.messages())
        .containsSubsequence(
            "Starting canary analysis for podinfo.default",
            "Advance podinfo.default canary weight 10",
            "Advance podinfo.default canary weight 20",
            "Advance podinfo.default canary weight 30",
            "Copying podinfo.default template spec to podinfo-primary.default",
            "Promotion completed! Scaling down podinfo.default");
    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(weights(weights)).containsExactly(100, 0);
  }

  /**
   * The rollback every provider test checks, after {@link #initializeAndRollOut}: weight 10, then
   * the success rate fails twice (the weight stays), then the rollback puts everything back on the
   * primary, fails the Canary and alerts Slack.
   */
  public void rollBackAfterTwoFailedChecks(Supplier<? extends List<?>> weights) {
    rollBackAfterTwoFailedChecks(
        weights,
        () -> successRate = "98.69",
        "Halt podinfo.default advancement success rate 98.69% < 99%");
  }

  /**
   * {@link #rollBackAfterTwoFailedChecks(Supplier)} with another failing check: after weight 10,
   * {@code degrade} makes a metric fail with the Warning {@code halt}.
   */
  public void rollBackAfterTwoFailedChecks(
      Supplier<? extends List<?>> weights, Runnable degrade, String halt) {
    // tick 4: first step passes, weight 10
    tick();
    assertThat(weights(weights)).containsExactly(90, 10);
    degrade.run();
    // ticks 5, 6: the check fails twice, the weight stays
    tick();
    tick();
    assertThat(fixture.get().getStatus().failedChecks()).isEqualTo(2);
    assertThat(weights(weights)).containsExactly(90, 10);
    // tick 7: threshold reached → rollback, everything back on the primary
    tick();
    assertThat(events.messages())
        .containsSubsequence(
            "Advance podinfo.default canary weight 10",
            halt,
            "Rolling back podinfo.default failed checks threshold reached 2",
            "Canary failed! Scaling down podinfo.default");
    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.FAILED);
    assertThat(weights(weights)).containsExactly(100, 0);
    assertThat(slackPosts).isNotEmpty();
  }

  private static List<Object> weights(Supplier<? extends List<?>> weights) {
    return new ArrayList<>(weights.get());
  }

  /** The {@code query} of every request the Prometheus stub received so far, in order. */
  public List<String> prometheusQueries() throws InterruptedException {
    List<String> queries = new ArrayList<>();
    for (int i = prometheus.getRequestCount(); i > 0; i--) {
      queries.add(prometheus.takeRequest().getUrl().queryParameter("query"));
    }
    return queries;
  }

  /**
   * A Canary on {@code provider} with {@code service}, metrics from the Prometheus stub (success
   * rate ≥ 99, latency ≤ 500), threshold 2, interval 10s and the Slack alert; progressive with
   * {@code stepWeight} (max 30), else {@code iterations} with optional mirroring and A/B matches.
   * An {@code nginx} Canary routes through the Ingress {@code podinfo} ({@code spec.ingressRef}).
   */
  public CanarySpec spec(
      String provider,
      CanaryService service,
      Integer stepWeight,
      Integer iterations,
      Boolean mirror,
      List<HttpMatchRequest> match) {
    CanaryAnalysis analysis =
        new CanaryAnalysis(
            "10s",
            2,
            stepWeight == null ? null : 30,
            stepWeight,
            null,
            null,
            iterations,
            null,
            null,
            mirror,
            null,
            match,
            builtinMetrics(),
            List.of(),
            List.of(new CanaryAlert("on-call", "error", new NamedReference("on-call", null))),
            null);
    CanarySpec base = CanaryFixture.spec(provider, analysis);
    return new CanarySpec(
        base.provider(),
        prometheus.url("/").toString().replaceAll("/$", ""),
        base.targetRef(),
        base.autoscalerRef(),
        "nginx".equals(provider)
            ? new LocalObjectReference("networking.k8s.io/v1", "Ingress", CanaryFixture.NAME)
            : null,
        null,
        null,
        service == null ? base.service() : service,
        analysis,
        null,
        null,
        null,
        null,
        null);
  }

  /**
   * {@code s} with a same-age baseline ({@code analysis.baseline: true}) and {@code
   * request-duration} also compared with it, as validation asks.
   */
  public static CanarySpec withBaseline(CanarySpec s) {
    CanaryAnalysis a = s.analysis();
    CanaryMetric duration = a.metrics().get(1);
    List<CanaryMetric> metrics =
        List.of(
            a.metrics().get(0),
            new CanaryMetric(
                duration.name(),
                duration.interval(),
                duration.threshold(),
                duration.thresholdRange(),
                null,
                null,
                null,
                new MetricComparison("increase", null, null, null, null)));
    CanaryAnalysis withBaseline =
        new CanaryAnalysis(
            a.interval(),
            a.threshold(),
            a.maxWeight(),
            a.stepWeight(),
            a.stepWeights(),
            a.stepWeightPromotion(),
            a.iterations(),
            a.primaryReadyThreshold(),
            a.canaryReadyThreshold(),
            a.mirror(),
            a.mirrorWeight(),
            a.match(),
            metrics,
            a.webhooks(),
            a.alerts(),
            a.sessionAffinity(),
            null,
            true);
    return new CanarySpec(
        s.provider(),
        s.metricsServer(),
        s.targetRef(),
        s.autoscalerRef(),
        s.ingressRef(),
        s.routeRef(),
        s.upstreamRef(),
        s.service(),
        withBaseline,
        null,
        null,
        null,
        null,
        null);
  }

  /** The builtin checks of {@link #spec}: success rate at least 99%, duration at most 500ms. */
  public static List<CanaryMetric> builtinMetrics() {
    return List.of(
        new CanaryMetric(
            "request-success-rate", "1m", null, new ThresholdRange(99.0, null), null, null, null),
        new CanaryMetric(
            "request-duration", "1m", null, new ThresholdRange(null, 500.0), null, null, null));
  }

  /**
   * {@link #builtinMetrics} also compared with the baseline: a lower success rate or a higher
   * duration is bad.
   */
  public static List<CanaryMetric> comparedBuiltinMetrics() {
    return List.of(
        new CanaryMetric(
            "request-success-rate",
            "1m",
            null,
            new ThresholdRange(99.0, null),
            null,
            null,
            null,
            new MetricComparison("decrease", null, null, null, null)),
        new CanaryMetric(
            "request-duration",
            "1m",
            null,
            new ThresholdRange(null, 500.0),
            null,
            null,
            null,
            new MetricComparison("increase", null, null, null, null)));
  }

  /** The service of {@link CanaryFixture#spec}. */
  public static CanaryService defaultService() {
    return CanaryFixture.spec("istio", null).service();
  }

  @Override
  public void close() throws IOException {
    CacheSync.awaitWatching(controller.cache());
    controller.close();
    prometheus.close();
    slack.close();
  }
}
