package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.ControllerHarness;
import app.flagger.controller.support.Crds;
import app.flagger.controller.support.FakeDeploymentController;
import app.flagger.controller.support.HookServer;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Blue/green on the kubernetes provider, rollback, progress deadlines, new revisions, suspend. */
@EnableKubernetesMockClient(crud = true)
class LifecycleKubeTest {
  KubernetesClient client;
  HookServer hooks;
  ControllerHarness h;
  CanaryFixture fixture;
  FakeDeploymentController deployments;

  @BeforeEach
  void setUp() throws Exception {
    hooks = new HookServer();
    Crds.register(client);
    fixture = new CanaryFixture(client).seed();
    deployments = new FakeDeploymentController(client, CanaryFixture.NS);
    h = ControllerHarness.create(client);
  }

  @AfterEach
  void tearDown() throws Exception {
    h.close();
    hooks.close();
  }

  CanarySpec blueGreen(int iterations, int threshold) {
    return CanaryFixture.spec(
        "kubernetes",
        CanaryFixture.analysis(
            null,
            null,
            iterations,
            threshold,
            List.of(CanaryFixture.hook("load-test", "rollout", hooks.url("rollout")))));
  }

  /** Ticks once, then lets the fake deployment controller finish every rollout. */
  void tick() {
    h.tick();
    deployments.reconcileAll();
  }

  void initialize(CanarySpec spec) {
    fixture.create(spec);
    h.sync();
    tick();
    tick();
    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.INITIALIZED);
    h.events.clear();
  }

  CanaryPhase phase() {
    return fixture.get().getStatus().phase();
  }

  /** Blue/green without a mesh: iterations, promotion of the primary, canary scaled to zero. */
  @Test
  void promotesBlueGreenWithTheKubernetesProvider() {
    initialize(blueGreen(2, 2));
    assertThat(fixture.primary()).isNotNull();
    assertThat(fixture.target().getSpec().getReplicas()).isZero();
    assertThat(
            client
                .services()
                .inNamespace("default")
                .withName("podinfo")
                .get()
                .getSpec()
                .getSelector())
        .containsEntry("app", "podinfo-primary");
    assertThat(
            client
                .services()
                .inNamespace("default")
                .withName("podinfo-canary")
                .get()
                .getSpec()
                .getSelector())
        .containsEntry("app", "podinfo");
    assertThat(
            client.configMaps().inNamespace("default").withName("podinfo-config-env-primary").get())
        .isNotNull();
    assertThat(client.secrets().inNamespace("default").withName("podinfo-secret-env-primary").get())
        .isNotNull();
    assertThat(
            client
                .autoscaling()
                .v2()
                .horizontalPodAutoscalers()
                .inNamespace("default")
                .withName("podinfo-primary")
                .get()
                .getSpec()
                .getScaleTargetRef()
                .getName())
        .isEqualTo("podinfo-primary");

    fixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
    // new revision → Progressing, canary scaled up
    tick();
    assertThat(fixture.target().getSpec().getReplicas()).isEqualTo(1);
    // iteration 1 (first analysis tick), iteration 2, all traffic to canary, promotion
    tick();
    tick();
    tick();
    tick();
    assertThat(phase()).isEqualTo(CanaryPhase.PROMOTING);
    // Promoting → Finalising → Succeeded
    tick();
    tick();
    assertThat(phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(h.events.messages())
        .containsExactly(
            "New revision detected! Scaling up podinfo.default",
            "Starting canary analysis for podinfo.default",
            "Advance podinfo.default canary iteration 1/2",
            "Advance podinfo.default canary iteration 2/2",
            "Copying podinfo.default template spec to podinfo-primary.default",
            "Promotion completed! Scaling down podinfo.default");
    assertThat(fixture.target().getSpec().getReplicas()).isZero();
    assertThat(
            fixture.primary().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("ghcr.io/stefanprodan/podinfo:6.0.1");
    assertThat(fixture.get().getStatus().lastPromotedSpec())
        .isEqualTo(fixture.get().getStatus().lastAppliedSpec());
    assertThat(hooks.calls())
        .containsExactly("rollout Progressing", "rollout Progressing", "rollout Progressing");
  }

  /** A failing rollout webhook counts failed checks; at the threshold the canary rolls back. */
  @Test
  void rollsBackWhenFailedChecksReachThreshold() {
    initialize(blueGreen(5, 2));
    hooks.respond("rollout", 500);
    fixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
    tick(); // Progressing
    tick(); // iteration 1
    tick(); // rollout hook fails (1)
    tick(); // rollout hook fails (2)
    tick(); // threshold reached → rollback
    String halt =
        "Halt podinfo.default advancement external check load-test failed POST "
            + hooks.url("rollout")
            + " giving up after 1 attempt(s): unexpected HTTP status 500 Internal Server Error";
    assertThat(h.events.all().stream().map(Object::toString).toList())
        .containsExactly(
            "Progressing Normal New revision detected! Scaling up podinfo.default",
            "Progressing Normal Starting canary analysis for podinfo.default",
            "Progressing Normal Advance podinfo.default canary iteration 1/5",
            "Progressing Warning " + halt,
            "Progressing Warning " + halt,
            "Progressing Warning Rolling back podinfo.default failed checks threshold reached 2",
            "Failed Warning Canary failed! Scaling down podinfo.default");
    assertThat(phase()).isEqualTo(CanaryPhase.FAILED);
    assertThat(fixture.get().getStatus().failedChecks()).isZero();
    assertThat(fixture.target().getSpec().getReplicas()).isZero();
    // an idle failed canary stays failed
    tick();
    assertThat(phase()).isEqualTo(CanaryPhase.FAILED);
  }

  /** A canary stuck past progressDeadlineSeconds is rolled back. */
  @Test
  void rollsBackWhenTheCanaryExceedsItsProgressDeadline() {
    initialize(blueGreen(5, 2));
    fixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
    h.tick(); // Progressing, canary scaled up
    deployments.markStuck("podinfo", h.clock.instant());
    h.clock.advance(Duration.ofSeconds(601));
    h.tick();
    assertThat(h.events.messages())
        .contains(
            "canary deployment podinfo.default not ready: waiting for rollout to finish: 0 out of 1 new replicas have been updated",
            "Canary failed! Scaling down podinfo.default");
    assertThat(phase()).isEqualTo(CanaryPhase.FAILED);
  }

  /** A primary stuck during initialization fails the canary. */
  @Test
  void failsWhenThePrimaryExceedsItsProgressDeadline() {
    fixture.create(blueGreen(5, 2));
    h.sync();
    h.tick(); // primary created
    deployments.markStuck("podinfo-primary", h.clock.instant());
    h.clock.advance(Duration.ofSeconds(601));
    h.tick();
    assertThat(h.events.messages())
        .contains(
            "podinfo-primary.default not ready: waiting for rollout to finish: 0 out of 1 new replicas have been updated",
            "Canary failed! Scaling down podinfo.default");
    assertThat(phase()).isEqualTo(CanaryPhase.FAILED);
  }

  /** A new revision during the analysis restarts it. */
  @Test
  void restartsTheAnalysisOnANewRevision() {
    initialize(blueGreen(5, 2));
    fixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
    tick(); // Progressing
    tick(); // iteration 1
    fixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.2");
    tick();
    assertThat(h.events.messages())
        .last()
        .isEqualTo("New revision detected! Restarting analysis for podinfo.default");
    assertThat(fixture.get().getStatus().iterations()).isZero();
    assertThat(phase()).isEqualTo(CanaryPhase.PROGRESSING);
  }

  /** A change to a tracked ConfigMap starts a canary run. */
  @Test
  void configMapChangeTriggersACanary() {
    initialize(blueGreen(5, 2));
    tick();
    assertThat(h.events.messages()).isEmpty();
    fixture.updateConfig("blue");
    tick();
    assertThat(h.events.messages())
        .containsExactly("New revision detected! Scaling up podinfo.default");
    assertThat(phase()).isEqualTo(CanaryPhase.PROGRESSING);
  }

  /** Ticks until the canary has been promoted. */
  void promote() {
    for (int i = 0; i < 20; i++) {
      tick();
      if (phase() == CanaryPhase.SUCCEEDED) {
        return;
      }
    }
    throw new AssertionError("not promoted after 20 ticks, phase " + phase());
  }

  /**
   * A ConfigMap the workload stops using leaves {@code status.trackedConfigs} with the promotion of
   * that revision; the idle canary then sees no change and starts no new run.
   */
  @Test
  void aConfigRemovedFromTheWorkloadEndsTrackingAfterOnePromotion() {
    initialize(blueGreen(2, 2));
    fixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
    promote();
    assertThat(fixture.get().getStatus().trackedConfigs())
        .containsOnlyKeys(
            "configmap/podinfo-config-env",
            "configmap/podinfo-config-vol",
            "secret/podinfo-secret-env");

    fixture.dropConfigVolume();
    promote();
    assertThat(fixture.get().getStatus().trackedConfigs())
        .containsOnlyKeys("configmap/podinfo-config-env", "secret/podinfo-secret-env");

    h.events.clear();
    String applied = fixture.get().getStatus().lastAppliedSpec();
    tick();
    tick();
    tick();
    assertThat(h.events.messages()).isEmpty();
    assertThat(phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(fixture.get().getStatus().lastAppliedSpec()).isEqualTo(applied);
    assertThat(fixture.target().getSpec().getReplicas()).isZero();
  }

  /** A suspended canary is skipped. */
  @Test
  void suspendedCanaryIsSkipped() {
    initialize(blueGreen(5, 2));
    fixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
    client
        .resources(app.flagger.model.canary.Canary.class)
        .inNamespace("default")
        .withName("podinfo")
        .edit(
            c -> {
              c.setSpec(CanaryFixture.with(c.getSpec(), null, null, true));
              return c;
            });
    tick();
    assertThat(h.events.messages()).containsExactly("skipping canary run as object is suspended");
    assertThat(phase()).isEqualTo(CanaryPhase.INITIALIZED);
  }
}
