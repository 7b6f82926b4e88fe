package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.ControllerConfig;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.ControllerHarness;
import app.flagger.controller.support.Crds;
import app.flagger.controller.support.FakeDeploymentController;
import app.flagger.controller.support.FakeMeshRouter;
import app.flagger.controller.support.FaultInjectingDispatcher;
import app.flagger.controller.support.MutableClock;
import app.flagger.controller.support.RecordingEvents;
import app.flagger.controller.support.TestControllers;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.support.MockServerShutdown;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.helidon.metrics.api.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Restarts after every tick, and API faults (409 on status writes, 500 on reads). */
@EnableKubernetesMockClient(crud = true)
class ResilienceKubeTest {
  KubernetesClient client;
  CanaryFixture fixture;
  FakeDeploymentController deployments;
  final MutableClock clock = MutableClock.atEpochDay();
  final FakeMeshRouter mesh = new FakeMeshRouter();

  @BeforeEach
  void setUp() {
    Crds.register(client);
    fixture = new CanaryFixture(client).seed();
    deployments = new FakeDeploymentController(client, CanaryFixture.NS);
  }

  static CanarySpec canary() {
    return CanaryFixture.spec("istio", CanaryFixture.analysis(50, null, null, 2, List.of()));
  }

  ControllerHarness harness() {
    return new ControllerHarness(
        client,
        ControllerConfig.defaults(),
        clock,
        mesh,
        MeterRegistry.create(),
        TestControllers.NO_METRICS);
  }

  /** Runs a full release with {@code ticks} ticks; a new controller per tick when restarting. */
  List<String> run(boolean restartEveryTick) {
    fixture.create(canary());
    List<String> events = new ArrayList<>();
    ControllerHarness h = harness();
    h.sync();
    for (int i = 0; i < 12; i++) {
      if (i == 3) {
        fixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
      }
      if (restartEveryTick && i > 0) {
        events.addAll(messages(h.events));
        h.close();
        h = harness();
        h.sync();
      }
      h.tick();
      deployments.reconcileAll();
    }
    events.addAll(messages(h.events));
    h.close();
    return events;
  }

  static List<String> messages(RecordingEvents e) {
    return e.all().stream().map(Object::toString).toList();
  }

  /**
   * A controller restarted after every tick resumes from the status: same events, no step twice.
   */
  @Test
  void restartAfterEveryTickEndsSucceededWithTheSameEvents() {
    List<String> restarted = run(true);
    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(restarted)
        .containsExactly(
            "Initializing Normal all the metrics providers are available!",
            "Initializing Warning podinfo-primary.default not ready: waiting for rollout to finish:"
                + " observed deployment generation less than desired generation",
            "Initializing Normal all the metrics providers are available!",
            "Initialized Normal Initialization done! podinfo.default",
            "Progressing Normal New revision detected! Scaling up podinfo.default",
            "Progressing Normal Starting canary analysis for podinfo.default",
            "Progressing Normal Advance podinfo.default canary weight 50",
            "Progressing Normal Advance podinfo.default canary weight 100",
            "Progressing Normal Copying podinfo.default template spec to podinfo-primary.default",
            "Promoting Normal Routing all traffic to primary",
            "Succeeded Normal Promotion completed! Scaling down podinfo.default");
  }

  /** 409 on status writes and 500 on Canary reads are retried; the release completes. */
  @Test
  void retriesConflictsAndServerErrors() {
    FaultInjectingDispatcher faults = new FaultInjectingDispatcher(new KubernetesCrudDispatcher());
    KubernetesMockServer faulty =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), faults, false);
    faulty.init();
    try (KubernetesClient c = faulty.createClient()) {
      Crds.register(c);
      CanaryFixture f = new CanaryFixture(c).seed();
      FakeDeploymentController d = new FakeDeploymentController(c, CanaryFixture.NS);
      f.create(canary());
      ControllerHarness h =
          new ControllerHarness(
              c,
              ControllerConfig.defaults(),
              clock,
              mesh,
              MeterRegistry.create(),
              TestControllers.NO_METRICS);
      h.sync();
      String canaryPath = "/apis/flagger.app/v1beta1/namespaces/default/canaries/podinfo";
      faults.fail("GET", canaryPath, 500, 2);
      faults.fail("PATCH", canaryPath + "/status", 409, 2);
      for (int i = 0; i < 12; i++) {
        if (i == 3) {
          f.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
          faults.fail("PATCH", canaryPath + "/status", 409, 2);
          faults.fail("GET", canaryPath, 503, 1);
        }
        h.tick();
        d.reconcileAll();
      }
      h.close();
      assertThat(faults.served()).isEqualTo(7);
      assertThat(f.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    } finally {
      MockServerShutdown.destroy(faulty::destroy);
    }
  }
}
