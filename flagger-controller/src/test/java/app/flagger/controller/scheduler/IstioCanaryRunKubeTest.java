package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.ControllerConfig;
import app.flagger.controller.FlaggerController;
import app.flagger.controller.StandardComponents;
import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.controller.router.istio.IstioRouter;
import app.flagger.controller.support.CacheSync;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.Crds;
import app.flagger.controller.support.FakeDeploymentController;
import app.flagger.controller.support.ManualJobScheduler;
import app.flagger.controller.support.MutableClock;
import app.flagger.controller.support.RecordingEvents;
import app.flagger.controller.webhook.Backoff;
import app.flagger.controller.webhook.HelidonWebhookClient;
import app.flagger.model.alert.AlertProvider;
import app.flagger.model.alert.AlertProviderSpec;
import app.flagger.model.canary.CanaryAlert;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.canary.ThresholdRange;
import app.flagger.model.common.NamedReference;
import app.flagger.model.istio.HttpMatchRequest;
import app.flagger.model.istio.StringMatch;
import app.flagger.model.provider.Provider;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.helidon.metrics.api.MeterRegistry;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Flagger's most common setup end to end on the mock API server: the Istio router, builtin metric
 * checks against a Prometheus stub and alerts to a Slack stub, all wired as in production by {@link
 * StandardComponents}.
 */
@EnableKubernetesMockClient(crud = true)
class IstioCanaryRunKubeTest {
  private static final ResourceDefinitionContext VIRTUAL_SERVICES =
      new ResourceDefinitionContext.Builder()
          .withGroup("networking.istio.io")
          .withVersion("v1beta1")
          .withKind("VirtualService")
          .withPlural("virtualservices")
          .withNamespaced(true)
          .build();

  KubernetesClient client;
  final MockWebServer prometheus = new MockWebServer();
  final MockWebServer slack = new MockWebServer();
  final List<JsonObject> slackPosts = new CopyOnWriteArrayList<>();
  volatile String successRate = "99.9";
  CanaryFixture fixture;
  FakeDeploymentController deployments;
  final MutableClock clock = MutableClock.atEpochDay();
  final RecordingEvents events = new RecordingEvents();
  final MeterRegistry registry = MeterRegistry.create();
  FlaggerController controller;

  @BeforeEach
  void setUp() throws Exception {
    prometheus.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            String query = r.getUrl().queryParameter("query");
            String value =
                query != null && query.contains("histogram_quantile") ? "100" : successRate;
            return new MockResponse.Builder()
                .code(200)
                .body(
                    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
                        + "[{\"metric\":{},\"value\":[1700000000.0,\""
                        + value
                        + "\"]}]}}")
                .build();
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
    ControllerConfig config = ControllerConfig.defaults();
    controller =
        StandardComponents.builder(client, config, new ControllerMetrics(registry))
            .clock(clock)
            .jobScheduler(new ManualJobScheduler())
            .registry(registry)
            .webhookClient(new HelidonWebhookClient(Backoff.NONE))
            .addEventSink(events)
            .build();
    controller.startCaches();
  }

  private void createCanary(CanarySpec spec) {
    fixture.create(spec);
    CacheSync.await(controller.cache(), client);
    controller.handler().sync(fixture.get());
  }

  @AfterEach
  void tearDown() throws Exception {
    CacheSync.awaitWatching(controller.cache());
    controller.close();
    prometheus.close();
    slack.close();
  }

  private CanarySpec spec() {
    return spec(10, null, null, null);
  }

  private CanarySpec spec(
      Integer stepWeight, Integer iterations, Boolean mirror, List<HttpMatchRequest> match) {
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
            List.of(
                new CanaryMetric(
                    "request-success-rate",
                    "1m",
                    null,
                    new ThresholdRange(99.0, null),
                    null,
                    null,
                    null),
                new CanaryMetric(
                    "request-duration",
                    "1m",
                    null,
                    new ThresholdRange(null, 500.0),
                    null,
                    null,
                    null)),
            List.of(),
            List.of(new CanaryAlert("on-call", "error", new NamedReference("on-call", null))),
            null);
    CanarySpec base = CanaryFixture.spec("istio", analysis);
    return new CanarySpec(
        base.provider(),
        prometheus.url("/").toString().replaceAll("/$", ""),
        base.targetRef(),
        base.autoscalerRef(),
        null,
        null,
        null,
        base.service(),
        analysis,
        null,
        null,
        null,
        null,
        null);
  }

  private void tick() {
    CacheSync.await(controller.cache(), client);
    clock.advance(java.time.Duration.ofSeconds(10));
    controller.advancer().advance(CanaryFixture.NAME, CanaryFixture.NS);
    deployments.reconcileAll();
  }

  private void initializeAndRollOut() {
    if (fixture.get() == null) {
      createCanary(spec());
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

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> httpRoutes() {
    GenericKubernetesResource vs =
        client
            .genericKubernetesResources(VIRTUAL_SERVICES)
            .inNamespace(CanaryFixture.NS)
            .withName("podinfo")
            .get();
    Map<String, Object> spec = (Map<String, Object>) vs.getAdditionalProperties().get("spec");
    return (List<Map<String, Object>>) spec.get("http");
  }

  /** Ticks until the Canary succeeds (at most 20 ticks), returning the routes seen after each. */
  private List<List<Map<String, Object>>> runToPromotion() {
    List<List<Map<String, Object>>> seen = new java.util.ArrayList<>();
    for (int i = 0; i < 20 && fixture.get().getStatus().phase() != CanaryPhase.SUCCEEDED; i++) {
      tick();
      seen.add(httpRoutes());
    }
    return seen;
  }

  @SuppressWarnings("unchecked")
  private List<Object> canaryWeights() {
    GenericKubernetesResource vs =
        client
            .genericKubernetesResources(VIRTUAL_SERVICES)
            .inNamespace(CanaryFixture.NS)
            .withName("podinfo")
            .get();
    Map<String, Object> spec = (Map<String, Object>) vs.getAdditionalProperties().get("spec");
    List<Map<String, Object>> http = (List<Map<String, Object>>) spec.get("http");
    List<Map<String, Object>> route = (List<Map<String, Object>>) http.get(0).get("route");
    return route.stream().map(r -> (Object) ((Number) r.get("weight")).intValue()).toList();
  }

  /** Healthy metrics: weights advance 10, 20, 30 on the VirtualService, then promotion. */
  @Test
  void promotesWithHealthyMetricsThroughTheIstioRouter() {
    initializeAndRollOut();
    // ticks 4..6: analysis passes, canary weight 10, 20, 30 (maxWeight)
    tick();
    assertThat(canaryWeights()).containsExactly(90, 10);
    tick();
    tick();
    assertThat(canaryWeights()).containsExactly(70, 30);
    // tick 7: promotion; tick 8: Finalising; tick 9: Succeeded
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
    assertThat(canaryWeights()).containsExactly(100, 0);
    assertThat(prometheus.getRequestCount()).isPositive();
  }

  /** Failing success rate: Flagger's Halt messages, failed checks up to 2, rollback, alert. */
  @Test
  void rollsBackAndAlertsWhenTheSuccessRateIsTooLow() {
    initializeAndRollOut();
    // tick 4: first step passes, weight 10
    tick();
    successRate = "98.69";
    // ticks 5, 6: the success rate fails twice
    tick();
    assertThat(fixture.get().getStatus().failedChecks()).isEqualTo(1);
    tick();
    assertThat(fixture.get().getStatus().failedChecks()).isEqualTo(2);
    // tick 7: threshold reached → rollback
    tick();

    assertThat(events.messages())
        .containsSubsequence(
            "Advance podinfo.default canary weight 10",
            "Halt podinfo.default advancement success rate 98.69% < 99%",
            "Halt podinfo.default advancement success rate 98.69% < 99%",
            "Rolling back podinfo.default failed checks threshold reached 2",
            "Canary failed! Scaling down podinfo.default");
    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.FAILED);
    assertThat(canaryWeights()).containsExactly(100, 0);
    assertThat(statusGauge()).as("flagger_canary_status of a failed canary").isEqualTo(2.0);
    assertThat(slackPosts).isNotEmpty();
    JsonObject post = slackPosts.get(slackPosts.size() - 1);
    assertThat(post.getString("channel")).isEqualTo("alerts");
    assertThat(post.getString("username")).isEqualTo("flagger");
    JsonObject attachment = post.getJsonArray("attachments").getJsonObject(0);
    assertThat(attachment.getString("color")).isEqualTo("danger");
    assertThat(attachment.getString("author_name")).isEqualTo("podinfo.default");
    assertThat(attachment.getString("text")).isEqualTo("Failed checks threshold reached 2");
  }

  /** A/B testing: the header match routes insiders to the canary for two iterations. */
  @Test
  void abTestingRoutesMatchedTrafficToTheCanaryThenPromotes() {
    HttpMatchRequest insider =
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
    createCanary(spec(null, 2, null, List.of(insider)));
    initializeAndRollOut();

    List<List<Map<String, Object>>> seen = runToPromotion();

    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(seen)
        .as("during the run, route 0 matches the header and sends it to the canary")
        .anySatisfy(
            http -> {
              assertThat(http).hasSize(2);
              assertThat(http.get(0).get("match").toString()).contains("x-canary", "insider");
              assertThat(http.get(0).get("route").toString())
                  .contains("podinfo-canary", "weight=100");
            });
    assertThat(events.messages())
        .contains("Advance podinfo.default canary iteration 1/2")
        .contains("Promotion completed! Scaling down podinfo.default");
  }

  /** Blue/green with mirroring: the canary gets a copy of the traffic, then promotion. */
  @Test
  void blueGreenWithMirroringMirrorsThenPromotes() {
    createCanary(spec(null, 2, true, null));
    initializeAndRollOut();

    List<List<Map<String, Object>>> seen = runToPromotion();

    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(seen)
        .as("during the run, the primary serves and the canary receives a mirror")
        .anySatisfy(
            http -> assertThat(http.get(0).get("mirror").toString()).contains("podinfo-canary"));
    assertThat(events.messages()).contains("Promotion completed! Scaling down podinfo.default");
    assertThat(httpRoutes().get(0)).doesNotContainKey("mirror");
  }

  private double statusGauge() {
    return registry.meters().stream()
        .filter(m -> m.id().name().equals("flagger_canary_status"))
        .filter(m -> "podinfo".equals(m.id().tagsMap().get("name")))
        .map(m -> ((io.helidon.metrics.api.Gauge<?>) m).value().doubleValue())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no flagger_canary_status series for podinfo"));
  }

  @Test
  void standardComponentsRegisterTheIstioRouter() {
    assertThat(StandardComponents.routers(client).meshRouter(new Provider("istio")))
        .isInstanceOf(IstioRouter.class);
  }
}
