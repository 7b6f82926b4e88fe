package app.flagger.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.support.CacheSync;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.ControllerHarness;
import app.flagger.controller.support.Crds;
import app.flagger.controller.support.FakeDeploymentController;
import app.flagger.controller.support.FakeMeshRouter;
import app.flagger.controller.support.FaultInjectingDispatcher;
import app.flagger.controller.support.MutableClock;
import app.flagger.controller.support.TestControllers;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.support.MockServerShutdown;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.helidon.metrics.api.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tick reads the Canary and its Services from the informer caches: a steady-state tick reads
 * nothing from the API server, and a tick right after the controller's own status write sees that
 * write even while the Canary cache lags behind.
 */
class CanaryCacheKubeTest {
  private static final String CANARY =
      "/apis/flagger.app/v1beta1/namespaces/default/canaries/podinfo";
  private static final String SERVICES = "/api/v1/namespaces/default/services";

  /** A GET of one named object (list and watch requests name a collection). */
  private static final Pattern NAMED_GET = Pattern.compile("^GET .*/namespaces/[^/]+/[^/]+/.+");

  final FaultInjectingDispatcher api = new FaultInjectingDispatcher(new KubernetesCrudDispatcher());
  KubernetesMockServer server;
  KubernetesClient client;
  CanaryFixture fixture;
  FakeDeploymentController deployments;

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

  /** One tick without waiting for the caches first (waiting lists every kind). */
  static void tickNow(ControllerHarness h) {
    h.clock.advance(Duration.ofSeconds(10));
    h.controller.advancer().advance(CanaryFixture.NAME, CanaryFixture.NS);
  }

  static Map<String, Integer> namedGets(Map<String, Integer> requests) {
    Map<String, Integer> out = new HashMap<>();
    requests.forEach(
        (k, v) -> {
          if (NAMED_GET.matcher(k).matches()) {
            out.put(k, v);
          }
        });
    return out;
  }

  @Test
  void aSteadyStateTickOfASucceededCanaryReadsNothingFromTheApi() {
    fixture.create(
        CanaryFixture.spec("istio", CanaryFixture.analysis(50, null, null, 2, List.of())));
    try (ControllerHarness h = harness()) {
      h.sync();
      for (int i = 0; i < 12; i++) {
        if (i == 3) {
          fixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
        }
        h.tick();
        deployments.reconcileAll();
      }
      assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
      String version = fixture.get().getMetadata().getResourceVersion();
      int events = h.events.all().size();

      for (int i = 0; i < 3; i++) {
        h.awaitCaches();
        api.resetRequests();
        tickNow(h);

        assertThat(namedGets(api.requests())).isEmpty();
        assertThat(api.requests()).allSatisfy((k, v) -> assertThat(k).doesNotStartWith("PUT "));
      }
      assertThat(fixture.get().getMetadata().getResourceVersion()).isEqualTo(version);
      assertThat(h.events.all()).hasSize(events);
    }
  }

  /**
   * With the caches frozen before a new revision's first tick, the next tick still sees that tick's
   * status write (Progressing, the new hash): it goes on to check the canary's readiness instead of
   * detecting the revision again, and reads neither the Canary nor a Service through the API.
   */
  @Test
  void aTickSeesTheStatusWrittenByThePreviousTickWhileTheCacheIsFrozen() {
    fixture.create(
        CanaryFixture.spec("istio", CanaryFixture.analysis(50, null, null, 2, List.of())));
    try (ControllerHarness h = harness()) {
      h.sync();
      h.tick();
      deployments.reconcileAll();
      h.tick();
      assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.INITIALIZED);
      fixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
      deployments.reconcileAll();
      h.awaitCaches();
      h.controller.cache().close();
      tickNow(h); // new revision: status Progressing, written through the API
      assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.PROGRESSING);
      assertThat(h.controller.cache().canaries().remembered()).isEqualTo(1);
      long detected =
          h.events.all().stream().filter(e -> e.toString().contains("New revision")).count();
      api.resetRequests();
      tickNow(h);

      assertThat(api.requests()).doesNotContainKey("GET " + CANARY);
      assertThat(api.requests().keySet()).noneMatch(k -> k.startsWith("GET " + SERVICES));
      assertThat(h.events.all().stream().filter(e -> e.toString().contains("New revision")))
          .hasSize((int) detected);
      assertThat(h.events.all().getLast().toString())
          .isEqualTo(
              "Progressing Warning canary deployment podinfo.default not ready: waiting for"
                  + " rollout to finish: observed deployment generation less than desired"
                  + " generation");
    }
  }

  /**
   * A canary the cache has not seen yet is read through the API; once the API no longer has it, the
   * copy the controller wrote is forgotten.
   */
  @Test
  void anUncachedCanaryIsReadThroughTheApi() {
    try (ControllerHarness h = harness()) {
      CacheSync.awaitWatches(api);
      h.controller.cache().close();
      // under load the informers may take longer to stop than close() waits for; a Canary
      // informer still running would cache the new Canary and the tick would not read it
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> !h.controller.cache().canaries().informer().isRunning());
      fixture.create(
          CanaryFixture.spec("istio", CanaryFixture.analysis(50, null, null, 2, List.of())));
      api.resetRequests();
      tickNow(h);

      assertThat(api.requests()).containsEntry("GET " + CANARY, 1);
      client
          .resources(Canary.class)
          .inNamespace(CanaryFixture.NS)
          .withName(CanaryFixture.NAME)
          .delete();
      tickNow(h);
      assertThat(h.controller.cache().canaries().remembered()).isZero();
    }
  }
}
