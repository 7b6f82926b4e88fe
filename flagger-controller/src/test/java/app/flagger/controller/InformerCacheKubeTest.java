package app.flagger.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.kube.InformerCache;
import app.flagger.controller.support.CacheSync;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.ControllerHarness;
import app.flagger.controller.support.Crds;
import app.flagger.controller.support.FakeDeploymentController;
import app.flagger.controller.support.FakeMeshRouter;
import app.flagger.controller.support.FaultInjectingDispatcher;
import app.flagger.controller.support.ManualJobScheduler;
import app.flagger.controller.support.MutableClock;
import app.flagger.controller.support.TestControllers;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.support.MockServerShutdown;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The informer caches: a tick reads Deployments, ConfigMaps, Secrets and HPAs from them instead of
 * the API server, a write that meets a conflict re-reads through the API, and the controller is
 * ready only once every informer has synced.
 */
class InformerCacheKubeTest {
  private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments/";
  private static final List<String> CACHED_KINDS =
      List.of(
          DEPLOYMENTS,
          "/apis/apps/v1/namespaces/default/daemonsets/",
          "/api/v1/namespaces/default/configmaps/",
          "/api/v1/namespaces/default/secrets/",
          "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/");

  final FaultInjectingDispatcher api = new FaultInjectingDispatcher(new KubernetesCrudDispatcher());
  KubernetesMockServer server;
  KubernetesClient client;
  CanaryFixture fixture;
  FakeDeploymentController deployments;
  FlaggerController controller;

  @BeforeEach
  void setUp() {
    server =
        new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), api, false);
    server.init();
    client = server.createClient();
    Crds.register(client);
    fixture = new CanaryFixture(client).seed();
    deployments = new FakeDeploymentController(client, CanaryFixture.NS);
  }

  @AfterEach
  void tearDown() {
    if (controller != null) {
      CacheSync.awaitWatching(controller.cache());
      controller.close();
    }
    client.close();
    MockServerShutdown.destroy(server::destroy);
  }

  ControllerHarness harness() {
    return new ControllerHarness(
        client,
        ControllerConfig.defaults(),
        MutableClock.atEpochDay(),
        new FakeMeshRouter(),
        MeterRegistry.create(),
        TestControllers.NO_METRICS);
  }

  /** A full release: initialization, a new revision at tick 3, analysis, promotion. */
  List<Map<String, Integer>> release(ControllerHarness h) {
    fixture.create(
        CanaryFixture.spec("istio", CanaryFixture.analysis(50, null, null, 2, List.of())));
    h.sync();
    List<Map<String, Integer>> perTick = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      if (i == 3) {
        fixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
      }
      h.awaitCaches();
      api.resetRequests();
      h.tick();
      perTick.add(api.requests());
      deployments.reconcileAll();
    }
    return perTick;
  }

  /** Named GETs of the cached kinds (a list or watch of a whole collection does not count). */
  static Map<String, Integer> getsOfCachedKinds(Map<String, Integer> requests) {
    Map<String, Integer> out = new HashMap<>();
    requests.forEach(
        (k, v) -> {
          if (k.startsWith("GET ")
              && CACHED_KINDS.stream().anyMatch(p -> k.startsWith("GET " + p))) {
            out.put(k, v);
          }
        });
    return out;
  }

  @Test
  void ticksReadTargetsConfigsAndAutoscalersFromTheCaches() {
    try (ControllerHarness h = harness()) {
      List<Map<String, Integer>> perTick = release(h);

      assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
      // The configs were cached without their data (no target had referenced them yet): the
      // first tick that reads one reads it once through the API server, later ticks from the cache.
      Map<String, Integer> gets = new HashMap<>();
      perTick.forEach(r -> getsOfCachedKinds(r).forEach((k, v) -> gets.merge(k, v, Integer::sum)));
      assertThat(gets)
          .containsOnlyKeys(
              "GET /api/v1/namespaces/default/configmaps/podinfo-config-env",
              "GET /api/v1/namespaces/default/configmaps/podinfo-config-vol",
              "GET /api/v1/namespaces/default/secrets/podinfo-secret-env")
          .allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(1));
      // Writes still go to the API server: the primary was created and promoted, the target
      // scaled down and up.
      assertThat(
              perTick.stream()
                  .mapToInt(
                      r ->
                          r.getOrDefault(
                              "POST " + DEPLOYMENTS.substring(0, DEPLOYMENTS.length() - 1), 0))
                  .sum())
          .isEqualTo(1);
      assertThat(
              perTick.stream()
                  .mapToInt(r -> r.getOrDefault("PUT " + DEPLOYMENTS + "podinfo-primary", 0))
                  .sum())
          .isEqualTo(1);
      assertThat(
              perTick.stream()
                  .mapToInt(r -> r.getOrDefault("PATCH " + DEPLOYMENTS + "podinfo", 0))
                  .sum())
          .isGreaterThanOrEqualTo(3);
    }
  }

  /** Promotion starts from the cached primary; a 409 makes it re-read through the API. */
  @Test
  void promotionRetriesAConflictFromAFreshRead() {
    api.fail("PUT", DEPLOYMENTS + "podinfo-primary", 409, 1);
    try (ControllerHarness h = harness()) {
      List<Map<String, Integer>> perTick = release(h);

      assertThat(api.served()).isEqualTo(1);
      assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
      assertThat(
              fixture.primary().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
          .isEqualTo("ghcr.io/stefanprodan/podinfo:6.0.1");
      assertThat(
              perTick.stream()
                  .mapToInt(r -> r.getOrDefault("GET " + DEPLOYMENTS + "podinfo-primary", 0))
                  .sum())
          .isEqualTo(1);
      assertThat(
              perTick.stream()
                  .mapToInt(r -> r.getOrDefault("PUT " + DEPLOYMENTS + "podinfo-primary", 0))
                  .sum())
          .isEqualTo(2);
    }
  }

  /**
   * A controller whose caches froze right after their first sync (they never see the primary, its
   * configs or its HPA that another controller created) still initializes: each create that meets
   * an existing object reads it through the API and goes on, with the events of live caches.
   */
  @Test
  void aStaleCacheFallsBackToTheApiOnConflicts() {
    fixture.create(
        CanaryFixture.spec("istio", CanaryFixture.analysis(50, null, null, 2, List.of())));
    try (ControllerHarness stale = harness();
        ControllerHarness first = harness()) {
      stale.sync();
      stale.controller.cache().close();
      first.tick();
      deployments.reconcileAll();
      Runnable tick =
          () -> {
            stale.clock.advance(Duration.ofSeconds(10));
            stale.controller.advancer().advance(CanaryFixture.NAME, CanaryFixture.NS);
          };
      api.resetRequests();
      tick.run();
      Map<String, Integer> second = api.requests();
      tick.run();

      assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.INITIALIZED);
      List<String> events =
          new ArrayList<>(first.events.all().stream().map(Object::toString).toList());
      stale.events.all().forEach(e -> events.add(e.toString()));
      assertThat(events)
          .containsExactly(
              "Initializing Normal all the metrics providers are available!",
              "Initializing Warning podinfo-primary.default not ready: waiting for rollout to"
                  + " finish: observed deployment generation less than desired generation",
              "Initializing Normal all the metrics providers are available!",
              "Initialized Normal Initialization done! podinfo.default");
      assertThat(second)
          .containsEntry("POST " + DEPLOYMENTS.substring(0, DEPLOYMENTS.length() - 1), 1)
          .containsEntry("GET " + DEPLOYMENTS + "podinfo-primary", 1);
    }
  }

  /**
   * After its own write the controller does not trust a cache that has not caught up: the next read
   * of that workload goes to the API server, until the cache reaches the written generation.
   */
  @Test
  void readsItsOwnWritesWhileTheCacheLagsBehind() {
    fixture.create(
        CanaryFixture.spec("istio", CanaryFixture.analysis(50, null, null, 2, List.of())));
    try (ControllerHarness h = harness()) {
      h.sync();
      h.tick();
      deployments.reconcileAll();
      h.tick();
      assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.INITIALIZED);
      fixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
      // the new revision rolled out at zero replicas: the cached target looks ready
      deployments.reconcileAll();
      h.awaitCaches();
      h.controller.cache().close();
      // tick: new revision, the target is scaled up (a write the frozen cache never sees)
      h.clock.advance(Duration.ofSeconds(10));
      h.controller.advancer().advance(CanaryFixture.NAME, CanaryFixture.NS);
      api.resetRequests();
      h.clock.advance(Duration.ofSeconds(10));
      h.controller.advancer().advance(CanaryFixture.NAME, CanaryFixture.NS);

      assertThat(getsOfCachedKinds(api.requests())).isEmpty();
      assertThat(h.events.all().getLast().toString())
          .isEqualTo(
              "Progressing Warning canary deployment podinfo.default not ready: waiting for"
                  + " rollout to finish: observed deployment generation less than desired"
                  + " generation");
    }
  }

  /** The caches keep no managedFields, and no data of Secrets that config tracking never copies. */
  @Test
  void cachesDropManagedFieldsAndUntrackedSecretData() {
    client
        .apps()
        .deployments()
        .inNamespace("other")
        .resource(
            new DeploymentBuilder(CanaryFixture.deployment("ghcr.io/stefanprodan/podinfo:6.0.0"))
                .editMetadata()
                .withNamespace("other")
                .withManagedFields(
                    new ManagedFieldsEntryBuilder()
                        .withManager("kubectl")
                        .withOperation("Update")
                        .build())
                .endMetadata()
                .build())
        .create();
    client
        .secrets()
        .inNamespace("other")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("token")
                .withNamespace("other")
                .endMetadata()
                .withType("kubernetes.io/service-account-token")
                .withData(Map.of("token", "c2VjcmV0"))
                .build())
        .create();
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace("other")
                .withName("podinfo")
                .get()
                .getMetadata()
                .getManagedFields())
        .isNotEmpty();
    try (InformerCache cache = new InformerCache(client, "")) {
      cache.start();
      CacheSync.awaitWatches(api);
      assertThat(cache.deployment("other", "podinfo").getMetadata().getManagedFields()).isNull();
      assertThat(cache.secret("other", "token").getData()).isNull();
      assertThat(cache.secret("other", "token").getType())
          .isEqualTo("kubernetes.io/service-account-token");
      assertThat(cache.secret(CanaryFixture.NS, "podinfo-secret-env").getData())
          .containsKey("password");
      assertThat(cache.deployment(CanaryFixture.NS, "podinfo")).isNotNull();
    }
  }

  /** /health/ready stays down while any informer is still listing. */
  @Test
  void readyOnlyAfterEveryInformerSynced() throws Exception {
    ControllerConfig config =
        ControllerConfig.from(
            Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(
                    ConfigSources.create(
                        Map.of(
                            "flagger.enable-leader-election", "false",
                            "flagger.mesh-provider", "kubernetes")))
                .build(),
            Map.of());
    ReadinessState readiness = new ReadinessState(false);
    ManualJobScheduler jobs = new ManualJobScheduler();
    controller =
        TestControllers.builder(client)
            .config(config)
            .clock(MutableClock.atEpochDay())
            .jobScheduler(jobs)
            .readiness(readiness)
            .build();
    CountDownLatch release = api.hold("GET", "/api/v1/secrets");
    CompletableFuture<Void> started = CompletableFuture.runAsync(controller::start);
    try {
      assertThat(api.awaitHeld("GET", "/api/v1/secrets", 30)).isTrue();
      assertThat(readiness.synced()).isFalse();
      assertThat(readiness.ready()).isFalse();
      assertThat(controller.cache().synced()).isFalse();
      assertThat(jobs.names()).isEmpty();
    } finally {
      release.countDown();
    }
    started.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(controller.cache().synced()).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(readiness::ready);
    assertThat(jobs.names()).contains("control-loop");
  }
}
