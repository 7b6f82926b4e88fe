package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.ControllerConfig;
import app.flagger.controller.FlaggerController;
import app.flagger.controller.StandardComponents;
import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.controller.router.gatewayapi.GatewayApiCrds;
import app.flagger.controller.router.gatewayapi.GatewayApiRouter;
import app.flagger.controller.router.gatewayapi.HttpRouteBuilder.Version;
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
import app.flagger.model.canary.CanaryService;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.canary.ParentReference;
import app.flagger.model.canary.ThresholdRange;
import app.flagger.model.common.NamedReference;
import app.flagger.model.istio.HttpMatchRequest;
import app.flagger.model.istio.StringMatch;
import app.flagger.model.provider.Provider;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
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
 * A {@code gatewayapi:v1} Canary end to end on the mock API server (with only the HTTPRoute CRD of
 * the Gateway API registered): the Gateway API router, builtin metric checks against a Prometheus
 * stub and alerts to a Slack stub, all wired as in production by {@link StandardComponents}.
 */
@EnableKubernetesMockClient(crud = true)
class GatewayApiCanaryRunKubeTest {
  private static final ResourceDefinitionContext HTTP_ROUTES =
      GatewayApiRouter.httpRoutes(Version.V1);

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

  /** The Gateway API builtin duration query reads seconds: 0.1 is 100ms. */
  @BeforeEach
  void setUp() throws Exception {
    prometheus.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            String query = r.getUrl().queryParameter("query");
            String value =
                query != null && query.contains("histogram_quantile") ? "0.1" : successRate;
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
    GatewayApiCrds.register(client);
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

  /** Progressive traffic: step 10 up to 30, threshold 2, a gateway and a host. */
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
    CanarySpec base = CanaryFixture.spec("gatewayapi:v1", analysis);
    CanaryService s = base.service();
    CanaryService service =
        new CanaryService(
            s.name(),
            80,
            s.portName(),
            new IntOrString(9898),
            s.appProtocol(),
            s.trafficDistribution(),
            s.portDiscovery(),
            s.headless(),
            s.timeout(),
            s.backendTimeout(),
            s.gateways(),
            List.of(new ParentReference(null, null, "public", "gateway-system", null, null)),
            List.of("app.example.com"),
            s.delegation(),
            s.trafficPolicy(),
            s.match(),
            s.rewrite(),
            s.retries(),
            s.headers(),
            s.mirror(),
            s.corsPolicy(),
            s.meshName(),
            s.backends(),
            s.apex(),
            s.primary(),
            s.canary(),
            s.unmanagedMetadata());
    return new CanarySpec(
        base.provider(),
        prometheus.url("/").toString().replaceAll("/$", ""),
        base.targetRef(),
        base.autoscalerRef(),
        null,
        null,
        null,
        service,
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
  private Map<String, Object> routeSpec() {
    GenericKubernetesResource r =
        client
            .genericKubernetesResources(HTTP_ROUTES)
            .inNamespace(CanaryFixture.NS)
            .withName("podinfo")
            .get();
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  /** The weights of the first rule's backendRefs: primary, canary. */
  @SuppressWarnings("unchecked")
  private List<Object> weights() {
    List<Map<String, Object>> rules = (List<Map<String, Object>>) routeSpec().get("rules");
    List<Map<String, Object>> refs = (List<Map<String, Object>>) rules.get(0).get("backendRefs");
    return refs.stream().map(r -> (Object) ((Number) r.get("weight")).intValue()).toList();
  }

  @Test
  void promotesWithHealthyMetricsThroughTheHttpRoute() {
    initializeAndRollOut();
    assertThat(weights()).containsExactly(100, 0);
    assertThat(routeSpec().get("parentRefs").toString()).contains("public", "gateway-system");
    assertThat(routeSpec().get("hostnames")).isEqualTo(List.of("app.example.com"));
    // ticks 4..6: analysis passes, canary weight 10, 20, 30 (maxWeight)
    tick();
    assertThat(weights()).containsExactly(90, 10);
    tick();
    assertThat(weights()).as(events.messages().toString()).containsExactly(80, 20);
    tick();
    assertThat(weights()).containsExactly(70, 30);
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
    assertThat(weights()).containsExactly(100, 0);
    assertThat(prometheus.getRequestCount()).isPositive();
  }

  @Test
  void rollsBackWhenTheSuccessRateIsTooLow() {
    initializeAndRollOut();
    // tick 4: first step passes, weight 10
    tick();
    assertThat(weights()).containsExactly(90, 10);
    successRate = "98.69";
    // ticks 5, 6: the success rate fails twice, the weight stays
    tick();
    tick();
    assertThat(fixture.get().getStatus().failedChecks()).isEqualTo(2);
    assertThat(weights()).containsExactly(90, 10);
    // tick 7: threshold reached → rollback, everything back on the primary
    tick();

    assertThat(events.messages())
        .containsSubsequence(
            "Advance podinfo.default canary weight 10",
            "Halt podinfo.default advancement success rate 98.69% < 99%",
            "Rolling back podinfo.default failed checks threshold reached 2",
            "Canary failed! Scaling down podinfo.default");
    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.FAILED);
    assertThat(weights()).containsExactly(100, 0);
    assertThat(slackPosts).isNotEmpty();
  }

  /** Ticks until the Canary succeeds (at most 20 ticks), returning the rules seen after each. */
  @SuppressWarnings("unchecked")
  private List<List<Map<String, Object>>> runToPromotion() {
    List<List<Map<String, Object>>> seen = new java.util.ArrayList<>();
    for (int i = 0; i < 20 && fixture.get().getStatus().phase() != CanaryPhase.SUCCEEDED; i++) {
      tick();
      seen.add((List<Map<String, Object>>) routeSpec().get("rules"));
    }
    return seen;
  }

  /** A/B testing: the header match sends insiders to the canary for two iterations. */
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
        .as("during the run, rule 0 matches the header and sends it to the canary")
        .anySatisfy(
            rules -> {
              assertThat(rules).hasSize(2);
              assertThat(rules.get(0).get("matches").toString()).contains("x-canary", "insider");
              assertThat(rules.get(0).get("backendRefs").toString())
                  .contains("name=podinfo-canary, port=80, weight=100");
              assertThat(rules.get(1).get("backendRefs").toString())
                  .contains("podinfo-primary")
                  .doesNotContain("podinfo-canary");
            });
    assertThat(events.messages())
        .contains("Advance podinfo.default canary iteration 1/2")
        .contains("Promotion completed! Scaling down podinfo.default");
    assertThat(weights()).containsExactly(100, 0);
  }

  /** Blue/green with mirroring: the canary gets a copy of the traffic, then promotion. */
  @Test
  @SuppressWarnings("unchecked")
  void blueGreenWithMirroringMirrorsThenPromotes() {
    createCanary(spec(null, 2, true, null));
    initializeAndRollOut();

    List<List<Map<String, Object>>> seen = runToPromotion();

    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(seen)
        .as("during the run, the primary serves and the canary receives a mirror")
        .anySatisfy(
            rules ->
                assertThat(String.valueOf(rules.get(0).get("filters")))
                    .contains("RequestMirror", "podinfo-canary"));
    assertThat(events.messages()).contains("Promotion completed! Scaling down podinfo.default");
    assertThat(((List<Map<String, Object>>) routeSpec().get("rules")).get(0))
        .doesNotContainKey("filters");
  }

  @Test
  void standardComponentsRegisterTheGatewayApiRouters() {
    var routers = StandardComponents.routers(client);
    assertThat(routers.meshRouter(new Provider("gatewayapi:v1")))
        .isInstanceOfSatisfying(
            GatewayApiRouter.class, r -> assertThat(r.version()).isEqualTo(Version.V1));
    assertThat(routers.meshRouter(new Provider("gatewayapi:v1beta1")))
        .isInstanceOfSatisfying(
            GatewayApiRouter.class, r -> assertThat(r.version()).isEqualTo(Version.V1BETA1));
    assertThat(routers.meshRouter(new Provider("gatewayapi"))).isInstanceOf(IstioRouter.class);
  }
}
