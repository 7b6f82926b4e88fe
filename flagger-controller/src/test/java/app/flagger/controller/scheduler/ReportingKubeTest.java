package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.ControllerConfig;
import app.flagger.controller.canary.SpecHash;
import app.flagger.controller.metrics.MetricAnalysis;
import app.flagger.controller.observe.CanarySeries;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.ControllerHarness;
import app.flagger.controller.support.Crds;
import app.flagger.controller.support.FakeDeploymentController;
import app.flagger.controller.support.FakeMeshRouter;
import app.flagger.controller.support.MutableClock;
import app.flagger.controller.support.TestControllers;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.ThresholdRange;
import app.flagger.model.common.NamedReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import jakarta.json.Json;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The event webhook, /metrics series, the validation gate and revertOnDeletion. */
@EnableKubernetesMockClient(crud = true)
class ReportingKubeTest {
  KubernetesClient client;
  MockWebServer receiver = new MockWebServer();
  final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  final CountDownLatch release = new CountDownLatch(1);
  volatile boolean hang;
  CanaryFixture fixture;
  FakeDeploymentController deployments;
  MeterRegistry registry = MeterRegistry.create();
  final RecordingAnalysis analysis = new RecordingAnalysis();
  ControllerHarness h;

  /** Passes every check and records which Canaries were analysed. */
  static final class RecordingAnalysis implements MetricAnalysis {
    final List<String> analysed = new CopyOnWriteArrayList<>();

    @Override
    public Optional<String> checkProviders(Canary canary) {
      analysed.add(canary.key());
      return Optional.empty();
    }

    @Override
    public Result run(Canary canary) {
      analysed.add(canary.key());
      return TestControllers.NO_METRICS.run(canary);
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    receiver.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) throws InterruptedException {
            received.add(r.getBody().utf8());
            if (hang) {
              release.await(60, TimeUnit.SECONDS);
            }
            return new MockResponse.Builder().code(202).build();
          }
        });
    receiver.start();
    Crds.register(client);
    fixture = new CanaryFixture(client).seed();
    deployments = new FakeDeploymentController(client, CanaryFixture.NS);
    ControllerConfig config =
        ControllerConfig.defaults().withEventWebhook(receiver.url("/events").toString());
    h =
        new ControllerHarness(
            client, config, MutableClock.atEpochDay(), new FakeMeshRouter(), registry, analysis);
  }

  @AfterEach
  void tearDown() throws Exception {
    release.countDown();
    h.close();
    receiver.close();
  }

  void tick() {
    h.tick();
    deployments.reconcileAll();
  }

  /** The global event webhook receives Flagger's payload, with the event in the metadata. */
  @Test
  void eventWebhookReceivesTheExactPayload() throws Exception {
    fixture.create(
        CanaryFixture.spec("istio", CanaryFixture.analysis(50, null, null, 1, List.of())));
    h.sync();
    h.tick();
    String first = received.poll(30, TimeUnit.SECONDS);
    long millis = h.clock.instant().toEpochMilli();
    String expected =
        Json.createObjectBuilder()
            .add("name", "podinfo")
            .add("namespace", "default")
            .add("phase", "Initializing")
            .add("checksum", SpecHash.checksum(Map.of(), null))
            .add(
                "metadata",
                Json.createObjectBuilder()
                    .add("eventMessage", "all the metrics providers are available!")
                    .add("eventType", "Normal")
                    .add("timestamp", Long.toString(millis)))
            .build()
            .toString();
    assertThat(Json.createReader(new StringReader(first)).readObject())
        .isEqualTo(Json.createReader(new StringReader(expected)).readObject());
  }

  /** A receiver that hangs for 60 s delays no tick: posts are queued and sent in the background. */
  @Test
  void hangingReceiverDoesNotDelayTicks() throws Exception {
    hang = true;
    fixture.create(
        CanaryFixture.spec("istio", CanaryFixture.analysis(50, null, null, 1, List.of())));
    h.sync();
    tick();
    tick();
    tick();
    assertThat(received.poll(30, TimeUnit.SECONDS)).isNotNull();
    assertThat(release.getCount()).as("receiver still hanging").isOne();
    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.INITIALIZED);
  }

  /** Weights, status and duration series during a run; gone once the Canary is deleted. */
  @Test
  void metricsFollowTheRunAndDisappearOnDelete() {
    // the JVM's per-Canary series are shared: drop what earlier tests left for podinfo.default
    h.controller.recorder().removeCanary("podinfo", "default");
    fixture.create(
        CanaryFixture.spec("istio", CanaryFixture.analysis(50, null, null, 1, List.of())));
    h.sync();
    tick();
    tick();
    fixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
    tick(); // Progressing
    assertThat(gauge("flagger_canary_status", Map.of("name", "podinfo")))
        .as(() -> h.events.all() + " " + series("flagger_canary_status"))
        .isEqualTo(0.0);
    tick(); // weight 50
    tick(); // weight 100
    assertThat(gauge("flagger_canary_weight", Map.of("workload", "podinfo"))).isEqualTo(100.0);
    assertThat(gauge("flagger_canary_weight", Map.of("workload", "podinfo-primary")))
        .isEqualTo(0.0);
    assertThat(gauge("flagger_canary_duration_seconds", Map.of("name", "podinfo")))
        .as("ticks timed")
        .isGreaterThanOrEqualTo(2);
    tick(); // promote
    tick(); // routing all traffic to primary
    tick(); // succeeded
    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(gauge("flagger_canary_status", Map.of("name", "podinfo"))).isEqualTo(1.0);
    assertThat(series("flagger_canary_successes")).hasSize(1);

    Canary canary = fixture.get();
    client.resources(Canary.class).inNamespace("default").withName("podinfo").delete();
    h.controller.handler().deleted(canary);
    assertThat(series("flagger_canary_status")).isEmpty();
    assertThat(series("flagger_canary_weight")).isEmpty();
    assertThat(series("flagger_canary_duration_seconds")).isEmpty();
    assertThat(series("flagger_canary_successes")).isEmpty();
  }

  /** An invalid Canary gets one Warning event and a condition listing every problem. */
  @Test
  void invalidCanaryIsReportedAndLeftAlone() {
    var spec =
        CanaryFixture.spec("mesh-of-my-own", CanaryFixture.analysis(150, null, null, 1, List.of()));
    fixture.create(spec);
    h.sync();
    h.sync();
    h.tick();
    assertThat(h.events.messages())
        .singleElement()
        .satisfies(
            m ->
                assertThat(m)
                    .startsWith(
                        "invalid canary spec: spec.provider: unknown provider 'mesh-of-my-own'"));
    var condition =
        fixture.get().getStatus().conditions().stream()
            .filter(c -> c.type().equals("Validated"))
            .findFirst()
            .orElseThrow();
    assertThat(condition.status()).isEqualTo("False");
    assertThat(condition.message()).contains("spec.provider").contains("stepWeight");
    assertThat(fixture.primary()).isNull();
    assertThat(h.controller.scheduler().knows("podinfo.default")).isFalse();
  }

  /**
   * A Canary whose template variable would break out of the query is refused and never analysed,
   * even when its tick comes; the valid Canary next to it is analysed and advances.
   */
  @Test
  void canaryWithAnInjectedTemplateVariableIsRefusedWhileItsNeighbourRuns() {
    CanaryAnalysis valid = CanaryFixture.analysis(50, null, null, 1, List.of());
    fixture.create(CanaryFixture.spec("istio", valid));
    var range = new ThresholdRange(null, 1.0);
    var template = new NamedReference("errors", null);
    var variables = Map.of("app", "x\"} or vector(100) #");
    var injected = new CanaryMetric("errors", "1m", null, range, null, template, variables);
    Canary bad = new Canary();
    bad.setMetadata(
        new ObjectMetaBuilder().withName("podinfo-injected").withNamespace("default").build());
    bad.setSpec(CanaryFixture.spec("istio", withMetrics(valid, List.of(injected))));
    client.resources(Canary.class).resource(bad).create();

    h.sync();
    h.awaitCaches();
    h.controller.handler().sync(injectedCanary());
    tick(); // podinfo: primary created
    tick(); // podinfo: initialized
    fixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
    tick(); // podinfo: new revision, Progressing
    tick(); // podinfo: checks run, weight 50
    h.awaitCaches();
    h.controller.advancer().advance("podinfo-injected", "default"); // its tick is refused too

    assertThat(analysis.analysed).isNotEmpty().containsOnly("podinfo.default");
    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.PROGRESSING);
    assertThat(h.controller.handler().sync(fixture.get())).isInstanceOf(SyncResult.Scheduled.class);
    assertThat(h.controller.handler().sync(injectedCanary()))
        .isInstanceOf(SyncResult.Invalid.class);
    assertThat(injectedCanary().getStatus().phase()).isNull();
    assertThat(injectedCanary().getStatus().conditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.type()).isEqualTo("Validated");
              assertThat(c.status()).isEqualTo("False");
              assertThat(c.message())
                  .isEqualTo(
                      "spec.analysis.metrics[0].templateVariables.app: 'x\"} or vector(100) #'"
                          + " is not a plain label value: expected letters, digits and . _ - /"
                          + " : only");
            });
    assertThat(h.events.messages())
        .filteredOn(m -> m.startsWith("invalid canary spec:"))
        .singleElement()
        .satisfies(m -> assertThat(m).contains("templateVariables.app"));
  }

  Canary injectedCanary() {
    return client.resources(Canary.class).inNamespace("default").withName("podinfo-injected").get();
  }

  static CanaryAnalysis withMetrics(CanaryAnalysis a, List<CanaryMetric> metrics) {
    return new CanaryAnalysis(
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
        a.sessionAffinity());
  }

  /** revertOnDeletion: the finalizer restores the target before the Canary goes away. */
  @Test
  void revertOnDeletionRestoresTheTarget() {
    fixture.create(
        CanaryFixture.with(
            CanaryFixture.spec("istio", CanaryFixture.analysis(50, null, null, 1, List.of())),
            null,
            true,
            null));
    h.sync();
    assertThat(fixture.get().getMetadata().getFinalizers()).contains("finalizer.flagger.app");
    tick();
    tick();
    assertThat(fixture.target().getSpec().getReplicas()).isZero();
    client.resources(Canary.class).inNamespace("default").withName("podinfo").delete();
    Canary deleting = fixture.get();
    assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();
    h.controller.handler().sync(deleting);
    deployments.reconcileAll();
    h.controller.handler().sync(fixture.get());
    await().atMost(Duration.ofSeconds(30)).until(() -> fixture.get() == null);
    assertThat(fixture.target().getSpec().getReplicas()).isEqualTo(1);
    assertThat(h.events.messages())
        .contains("Terminating canary podinfo.default", "Terminated canary podinfo.default");
  }

  /** Two Canaries on one target: a Warning event on each, as Flagger's error log. */
  @Test
  void twoCanariesOnOneTargetAreWarned() {
    var spec = CanaryFixture.spec("istio", CanaryFixture.analysis(50, null, null, 1, List.of()));
    Canary first = fixture.create(spec);
    Canary second = new Canary();
    second.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("podinfo-b")
            .withNamespace("default")
            .build());
    second.setSpec(spec);
    h.controller.scheduler().put(first);
    h.controller.scheduler().put(second);
    h.controller.scheduler().scheduleCanaries();
    assertThat(h.events.messages())
        .containsExactly(
            "Bad things will happen! Found more than one canary with the same target podinfo.default",
            "Bad things will happen! Found more than one canary with the same target podinfo.default");
    assertThat(gauge("flagger_canary_total", Map.of("namespace", "default"))).isEqualTo(2.0);
  }

  /**
   * The value of the one series of {@code name} in namespace default with {@code tags}; the
   * per-Canary families are read from {@link CanarySeries}, a histogram's value being its count.
   */
  double gauge(String name, Map<String, String> tags) {
    if (CanarySeries.holds(name)) {
      List<CanarySeries.Observed> matching =
          series(name).stream()
              .filter(o -> o.labels().entrySet().containsAll(tags.entrySet()))
              .toList();
      assertThat(matching).as("one series " + name + tags).hasSize(1);
      return matching.get(0).value();
    }
    List<Meter> matching =
        registry.meters().stream()
            .filter(m -> m.id().name().equals(name))
            .filter(m -> "default".equals(m.id().tagsMap().get("namespace")))
            .filter(m -> m.id().tagsMap().entrySet().containsAll(tags.entrySet()))
            .toList();
    assertThat(matching).as("one series " + name + tags).hasSize(1);
    return ((Gauge<?>) matching.get(0)).value().doubleValue();
  }

  /**
   * The series of a per-Canary family in namespace default, as {@link CanarySeries} holds them (one
   * per JVM: other tests' Canaries in other namespaces are there too).
   */
  List<CanarySeries.Observed> series(String name) {
    return CanarySeries.shared().series(name).stream()
        .filter(o -> "default".equals(o.labels().get("namespace")))
        .toList();
  }
}
