package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.ControllerHarness;
import app.flagger.controller.support.Crds;
import app.flagger.controller.support.FakeDeploymentController;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanaryWebhook;
import app.flagger.model.support.MockServerShutdown;
import app.flagger.model.webhook.CanaryWebhookPayload;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Flagger's events_test.go: the canonical event sequence, message for message. The mock API server
 * observes each new Deployment at once, as Flagger's fake clientset does.
 */
class CanonicalSequenceKubeTest {
  KubernetesMockServer server;
  KubernetesClient client;
  mockwebserver3.MockWebServer hooks = new mockwebserver3.MockWebServer();
  final List<String> calls = new ArrayList<>();
  ControllerHarness h;
  CanaryFixture fixture;
  FakeDeploymentController deployments;

  @BeforeEach
  void setUp() throws Exception {
    hooks.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            CanaryWebhookPayload p = CanaryWebhookPayload.parse(r.getBody().utf8());
            synchronized (calls) {
              calls.add(r.getUrl().encodedPath().substring(1) + " " + p.phase());
            }
            return new MockResponse.Builder().code(200).build();
          }
        });
    hooks.start();
    server =
        new KubernetesMockServer(
            new Context(),
            new io.fabric8.mockwebserver.MockWebServer(),
            new HashMap<>(),
            FakeDeploymentController.observingCreates(new KubernetesCrudDispatcher()),
            false);
    server.init();
    client = server.createClient();
    Crds.register(client);
    fixture = new CanaryFixture(client).seed();
    deployments = new FakeDeploymentController(client, CanaryFixture.NS);
    h = ControllerHarness.create(client);
  }

  @AfterEach
  void tearDown() throws Exception {
    h.close();
    hooks.close();
    client.close();
    MockServerShutdown.destroy(server::destroy);
  }

  List<CanaryWebhook> allHooks() {
    return List.of(
        CanaryFixture.hook(
            "confirm-rollout-webhook", "confirm-rollout", hooks.url("/confirm-rollout").toString()),
        CanaryFixture.hook(
            "pre-rollout-webhook", "pre-rollout", hooks.url("/pre-rollout").toString()),
        CanaryFixture.hook("rollout-webhook", "rollout", hooks.url("/rollout").toString()),
        CanaryFixture.hook(
            "confirm-traffic-increase-webhook",
            "confirm-traffic-increase",
            hooks.url("/confirm-traffic-increase").toString()),
        CanaryFixture.hook(
            "confirm-promotion-webhook",
            "confirm-promotion",
            hooks.url("/confirm-promotion").toString()),
        CanaryFixture.hook(
            "post-rollout-webhook", "post-rollout", hooks.url("/post-rollout").toString()));
  }

  /** Canary with every hook type, stepWeight 100, stepWeightPromotion 50 (events_test.go). */
  @Test
  void reproducesFlaggersCanonicalEventSequence() {
    fixture.create(
        CanaryFixture.spec("istio", CanaryFixture.analysis(100, 50, null, 1, allHooks())));
    h.sync();
    // tick 1: primary created, not ready yet
    h.tick();
    deployments.reconcileAll();
    // tick 2: primary ready → Initialized
    h.tick();
    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.INITIALIZED);
    // tick 3: nothing changed
    h.tick();
    fixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
    // tick 4: new revision → Progressing, canary scaled up
    h.tick();
    deployments.reconcileAll();
    // tick 5: pre-rollout, weight 100
    h.tick();
    // tick 6: rollout hook, confirm-promotion, promotion
    h.tick();
    deployments.reconcileAll();
    // tick 7, 8: primary weight 50 then 100
    h.tick();
    h.tick();
    // tick 9: Finalising → Succeeded
    h.tick();

    assertThat(h.events.all().stream().map(Object::toString).toList())
        .containsExactly(
            "Initializing Normal all the metrics providers are available!",
            "Initializing Warning podinfo-primary.default not ready: waiting for rollout to finish: 0 out of 1 new replicas have been updated",
            "Initializing Normal all the metrics providers are available!",
            "Initialized Normal Initialization done! podinfo.default",
            "Initialized Normal Confirm-rollout check confirm-rollout-webhook passed",
            "Progressing Normal New revision detected! Scaling up podinfo.default",
            "Progressing Normal Starting canary analysis for podinfo.default",
            "Progressing Normal Pre-rollout check pre-rollout-webhook passed",
            "Progressing Normal Confirm-traffic-increase check confirm-traffic-increase-webhook passed",
            "Progressing Normal Advance podinfo.default canary weight 100",
            "Progressing Normal Confirm-traffic-increase check confirm-traffic-increase-webhook passed",
            "Progressing Normal Confirm-promotion check confirm-promotion-webhook passed",
            "Progressing Normal Copying podinfo.default template spec to podinfo-primary.default",
            "Promoting Normal Advance podinfo.default primary weight 50",
            "Promoting Normal Advance podinfo.default primary weight 100",
            "Succeeded Normal Post-rollout check post-rollout-webhook passed",
            "Succeeded Normal Promotion completed! Scaling down podinfo.default");
    assertThat(calls)
        .containsExactly(
            "confirm-rollout Initialized",
            "pre-rollout Progressing",
            "confirm-traffic-increase Progressing",
            "rollout Progressing",
            "confirm-traffic-increase Progressing",
            "confirm-promotion Progressing",
            "post-rollout Succeeded");
    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(fixture.target().getSpec().getReplicas()).isZero();
    assertThat(
            fixture.primary().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("ghcr.io/stefanprodan/podinfo:6.0.1");
  }

  /** The skip-analysis variant: promotion right after the canary is ready. */
  @Test
  void skipAnalysisPromotesAtOnce() {
    fixture.create(
        CanaryFixture.with(
            CanaryFixture.spec("istio", CanaryFixture.analysis(100, 50, null, 1, allHooks())),
            true,
            null,
            null));
    h.sync();
    // tick 1: primary created; skipAnalysis does not wait for it
    h.tick();
    fixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
    // tick 2: new revision → Progressing
    h.tick();
    deployments.reconcileAll();
    // tick 3: promote without analysis
    h.tick();

    assertThat(h.events.all().stream().map(Object::toString).toList())
        .containsExactly(
            "Initialized Normal Initialization done! podinfo.default",
            "Initialized Normal Confirm-rollout check confirm-rollout-webhook passed",
            "Progressing Normal New revision detected! Scaling up podinfo.default",
            "Progressing Normal Copying podinfo.default template spec to podinfo-primary.default",
            "Succeeded Normal Post-rollout check post-rollout-webhook passed",
            "Succeeded Normal Promotion completed! Canary analysis was skipped for podinfo.default");
    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
  }
}
