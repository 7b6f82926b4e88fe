package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.ControllerConfig;
import app.flagger.controller.FlaggerController;
import app.flagger.controller.KubeClients;
import app.flagger.controller.ReadinessState;
import app.flagger.controller.client.RateLimitInterceptor;
import app.flagger.controller.leader.LeaderElection;
import app.flagger.controller.leader.Leadership;
import app.flagger.controller.router.RouterFactory;
import app.flagger.controller.support.CacheSync;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.Crds;
import app.flagger.controller.support.FakeDeploymentController;
import app.flagger.controller.support.FakeMeshRouter;
import app.flagger.controller.support.HookServer;
import app.flagger.controller.support.Leases;
import app.flagger.controller.support.ManualJobScheduler;
import app.flagger.controller.support.MockApiServer;
import app.flagger.controller.support.MutableClock;
import app.flagger.controller.support.RecordingEvents;
import app.flagger.controller.support.TestControllers;
import app.flagger.controller.support.TestFactories;
import app.flagger.controller.webhook.Backoff;
import app.flagger.controller.webhook.HelidonWebhookClient;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.provider.MeshProvider;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loop around the tick on the mock API server, black box: a controller started as in production
 * (informer → queue → workers, timers run by hand, the client fenced by leadership) while a rollout
 * webhook is held, the interval changes or the Lease is lost, and a sync that fails is retried with
 * backoff.
 */
class CanaryLoopKubeTest {
  static final String KEY = "podinfo.default";
  static final String STATUS =
      "/apis/flagger.app/v1beta1/namespaces/default/canaries/podinfo/status";

  final MockApiServer api = MockApiServer.start();
  final KubernetesClient client = new KubernetesClientBuilder().withConfig(api.config(0)).build();
  final Leadership leadership = new Leadership();
  final KubernetesClient fenced =
      KubeClients.create(
          api.config(0),
          ControllerConfig.defaults().withKubeClientLimits(0, 1),
          TestFactories.metrics(),
          System::nanoTime,
          RateLimitInterceptor.Waiter.PARK,
          leadership);
  final MutableClock clock = MutableClock.atEpochDay();
  final ManualJobScheduler jobs = new ManualJobScheduler();
  final RecordingEvents events = new RecordingEvents();
  final List<HookServer.Held> held = new ArrayList<>();
  HookServer hooks;
  CanaryFixture fixture;
  FakeDeploymentController deployments;
  ReadinessState readiness;
  FlaggerController controller;

  @AfterEach
  void tearDown() throws Exception {
    held.forEach(HookServer.Held::release);
    if (controller != null) {
      CacheSync.awaitWatching(controller.cache());
      controller.close();
    }
    if (hooks != null) {
      hooks.close();
    }
    fenced.close();
    client.close();
    api.close();
  }

  /** Seeds podinfo, then starts a controller on the fenced client; returns once it is ready. */
  void start(boolean leaderElection) throws Exception {
    Crds.register(client);
    fixture = new CanaryFixture(client).seed();
    deployments = new FakeDeploymentController(client, CanaryFixture.NS);
    hooks = new HookServer();
    Map<String, String> keys =
        Map.of(
            "flagger.enable-leader-election",
            Boolean.toString(leaderElection),
            "flagger.leader-election-namespace",
            "default");
    ControllerConfig config =
        ControllerConfig.from(Config.just(ConfigSources.create(keys)), Map.of());
    readiness = new ReadinessState(leaderElection);
    controller =
        TestControllers.builder(fenced)
            .leaseClient(client)
            .leadership(leadership)
            .leaderElectionTiming(
                new LeaderElection.Timing(
                    Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(500)))
            .config(config)
            .clock(clock)
            .jobScheduler(jobs)
            .readiness(readiness)
            .registry(MeterRegistry.create())
            .routers(new RouterFactory().register(MeshProvider.ISTIO, new FakeMeshRouter()))
            .webhookClient(new HelidonWebhookClient(Backoff.NONE))
            .addEventSink(events)
            .build();
    controller.start();
    await().atMost(Duration.ofSeconds(60)).until(readiness::ready);
  }

  /** The timer of podinfo fires ten seconds after the last; waits until a worker ran the tick. */
  void tick() {
    CacheSync.await(controller.cache(), client);
    clock.advance(Duration.ofSeconds(10));
    jobs.run(KEY);
    await().atMost(Duration.ofSeconds(30)).until(controller.scheduler()::idle);
    deployments.reconcileAll();
  }

  HookServer.Held hold() {
    HookServer.Held h = hooks.hold("rollout");
    held.add(h);
    return h;
  }

  int weight() {
    return fixture.get().getStatus().canaryWeightOrZero();
  }

  /** A weighted Canary with a rollout hook, Progressing at weight 10. */
  void progressingAtWeight10() {
    fixture.create(
        CanaryFixture.spec(
            "istio",
            CanaryFixture.analysis(
                10,
                null,
                null,
                2,
                List.of(CanaryFixture.hook("load-test", "rollout", hooks.url("rollout"))))));
    await().atMost(Duration.ofSeconds(30)).until(() -> controller.scheduler().knows(KEY));
    jobs.run("control-loop");
    tick(); // primary created
    tick(); // primary ready → Initialized
    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.INITIALIZED);
    fixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
    tick(); // new revision → Progressing
    tick(); // rollout hook, weight 10
    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.PROGRESSING);
    assertThat(weight()).isEqualTo(10);
  }

  /** A slow rollout hook plus an interval change never yields two concurrent calls. */
  @Test
  void aSlowRolloutHookPlusAnIntervalChangeNeverTicksTwiceAtOnce() throws Exception {
    start(false);
    progressingAtWeight10();
    int callsBefore = hooks.calls().size();
    HookServer.Held first = hold();
    clock.advance(Duration.ofSeconds(10));
    jobs.run(KEY);
    assertThat(first.awaitArrived()).isTrue();

    // while the tick waits in the hook: a new interval, its new timer, its first firing and more
    client
        .resources(Canary.class)
        .inNamespace(CanaryFixture.NS)
        .withName(CanaryFixture.NAME)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"analysis\":{\"interval\":\"20s\"}}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              jobs.run("control-loop");
              return jobs.entry(KEY).interval().equals(Duration.ofSeconds(20));
            });
    jobs.run(KEY);
    jobs.run(KEY);
    assertThat(hooks.calls()).hasSize(callsBefore + 1);

    HookServer.Held second = hold();
    first.release();
    // the next tick starts only after the held one finished: exactly one step
    assertThat(second.awaitArrived()).isTrue();
    assertThat(weight()).isEqualTo(20);
    second.release();
    await().atMost(Duration.ofSeconds(30)).until(controller.scheduler()::idle);
    assertThat(weight()).as("the firings during the slow tick made one tick").isEqualTo(30);
    assertThat(hooks.calls()).hasSize(callsBefore + 2);
    assertThat(hooks.mostInFlight()).isEqualTo(1);
  }

  /** A leader that loses the Lease while a tick waits in a hook writes nothing after it. */
  @Test
  void aTickInFlightWhenTheLeaseIsLostWritesNothingMore() throws Exception {
    start(true);
    progressingAtWeight10();
    HookServer.Held h = hold();
    clock.advance(Duration.ofSeconds(10));
    jobs.run(KEY);
    assertThat(h.awaitArrived()).isTrue();

    // another replica takes the Lease for an hour
    Leases.takeOver(client, "default", 3600);
    await().atMost(Duration.ofSeconds(60)).until(() -> !readiness.ready());
    assertThat(leadership.leading()).isFalse();
    Canary before = fixture.get();
    api.api().resetRequests();

    h.release();
    await().atMost(Duration.ofSeconds(30)).until(controller.scheduler()::idle);
    assertThat(fixture.get().getMetadata().getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(fixture.get().getStatus()).isEqualTo(before.getStatus());
    assertThat(api.api().requests().keySet())
        .filteredOn(r -> !r.startsWith("GET ") && !r.contains("/leases"))
        .isEmpty();
    assertThat(jobs.names()).isEmpty();
  }

  /** A sync that fails comes back after 5 ms of backoff, not at the 30 s resync. */
  @Test
  void aFailedSyncIsRetriedWithBackoff() throws Exception {
    start(false);
    api.api().fail("PATCH", STATUS, 500, 5);
    fixture.create(
        CanaryFixture.spec("istio", CanaryFixture.analysis(10, null, null, 2, List.of())));
    await().atMost(Duration.ofSeconds(30)).until(() -> !jobs.delayed().isEmpty());
    assertThat(jobs.delayed())
        .singleElement()
        .satisfies(d -> assertThat(d.interval()).isEqualTo(Duration.ofMillis(5)));
    assertThat(api.api().requests("PATCH", STATUS)).isEqualTo(5);
    assertThat(fixture.get().getStatus()).isNull();
    assertThat(controller.scheduler().knows(KEY)).isFalse();

    clock.advance(Duration.ofMillis(5));
    jobs.runDelayed();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> controller.scheduler().knows(KEY) && controller.scheduler().idle());
    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.INITIALIZING);
    assertThat(api.api().requests("PATCH", STATUS)).isEqualTo(6);
  }
}
