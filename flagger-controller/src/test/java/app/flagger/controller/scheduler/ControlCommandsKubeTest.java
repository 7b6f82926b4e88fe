package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.ControllerConfig;
import app.flagger.controller.FlaggerController;
import app.flagger.controller.ReadinessState;
import app.flagger.controller.router.RouterFactory;
import app.flagger.controller.router.Routes;
import app.flagger.controller.support.CacheSync;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.Crds;
import app.flagger.controller.support.FakeDeploymentController;
import app.flagger.controller.support.FakeMeshRouter;
import app.flagger.controller.support.HookServer;
import app.flagger.controller.support.ManualJobScheduler;
import app.flagger.controller.support.MockApiServer;
import app.flagger.controller.support.MutableClock;
import app.flagger.controller.support.RecordingEvents;
import app.flagger.controller.support.TestControllers;
import app.flagger.controller.webhook.Backoff;
import app.flagger.controller.webhook.HelidonWebhookClient;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanaryWebhook;
import app.flagger.model.control.ControlAction;
import app.flagger.model.control.ControlCommand;
import app.flagger.model.control.ControlStatus;
import app.flagger.model.provider.MeshProvider;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.helidon.metrics.api.MeterRegistry;
import jakarta.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Control commands against a running controller on the mock API server (informer, queue, workers;
 * timers run by hand): each command is set in the Canary's annotation as the kubectl plugin sets
 * it, and takes effect at the next tick, acknowledged in {@code status.control} and by an event.
 */
class ControlCommandsKubeTest {
  static final String KEY = "podinfo.default";

  final MockApiServer api = MockApiServer.start();
  final KubernetesClient client = new KubernetesClientBuilder().withConfig(api.config(0)).build();
  final MutableClock clock = MutableClock.atEpochDay();
  final RecordingEvents events = new RecordingEvents();
  final FakeMeshRouter mesh = new FakeMeshRouter();
  final HookServer hooks;
  final CanaryFixture fixture;
  final FakeDeploymentController deployments;
  ManualJobScheduler jobs;
  FlaggerController controller;
  int commands;

  ControlCommandsKubeTest() throws Exception {
    hooks = new HookServer();
    Crds.register(client);
    fixture = new CanaryFixture(client).seed();
    deployments = new FakeDeploymentController(client, CanaryFixture.NS);
  }

  @AfterEach
  void tearDown() throws Exception {
    stop();
    hooks.close();
    client.close();
    api.close();
  }

  /** Starts a controller as in production; returns once it is ready and scheduled podinfo. */
  void start() {
    jobs = new ManualJobScheduler();
    ReadinessState readiness = new ReadinessState(false);
    controller =
        TestControllers.builder(client)
            .config(ControllerConfig.defaults())
            .clock(clock)
            .jobScheduler(jobs)
            .readiness(readiness)
            .registry(MeterRegistry.create())
            .routers(new RouterFactory().register(MeshProvider.ISTIO, mesh))
            .webhookClient(new HelidonWebhookClient(Backoff.NONE))
            .addEventSink(events)
            .build();
    controller.start();
    await().atMost(Duration.ofSeconds(60)).until(readiness::ready);
  }

  void stop() {
    if (controller != null) {
      CacheSync.awaitWatching(controller.cache());
      controller.close();
      controller = null;
    }
  }

  /** The timer of podinfo fires ten seconds after the last; waits until a worker ran the tick. */
  void tick() {
    CacheSync.await(controller.cache(), client);
    clock.advance(Duration.ofSeconds(10));
    jobs.run(KEY);
    await().atMost(Duration.ofSeconds(30)).until(controller.scheduler()::idle);
    deployments.reconcileAll();
  }

  /** Creates podinfo with {@code hooks} (stepWeight 50), lets it be scheduled and initialized. */
  void initialized(List<CanaryWebhook> webhooks) {
    fixture.create(
        CanaryFixture.spec("istio", CanaryFixture.analysis(50, null, null, 2, webhooks)));
    scheduled();
    tick(); // primary created
    tick(); // primary ready → Initialized
    assertThat(phase()).isEqualTo(CanaryPhase.INITIALIZED);
  }

  void scheduled() {
    await().atMost(Duration.ofSeconds(30)).until(() -> controller.scheduler().knows(KEY));
    jobs.run("control-loop");
  }

  /** Initialized, then a new revision: Progressing, then the first step to weight 50. */
  void progressingAtWeight50(List<CanaryWebhook> webhooks) {
    initialized(webhooks);
    fixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
    tick(); // new revision → Progressing
    tick(); // analysis starts, weight 50
    assertThat(phase()).isEqualTo(CanaryPhase.PROGRESSING);
    assertThat(weight()).isEqualTo(50);
    events.clear();
  }

  /** Sets the command annotation as the kubectl plugin does; returns its id. */
  String command(ControlAction action, String gate) {
    String id = "cmd-" + ++commands;
    annotate(new ControlCommand(id, action, gate, "alice", "2026-12-06T10:00:00Z").toJson());
    return id;
  }

  void annotate(String value) {
    annotate(ControlCommand.ANNOTATION, value);
  }

  void annotate(String key, String value) {
    client
        .resources(Canary.class)
        .inNamespace(CanaryFixture.NS)
        .withName(CanaryFixture.NAME)
        .edit(
            c -> {
              Map<String, String> annotations = new HashMap<>();
              if (c.getMetadata().getAnnotations() != null) {
                annotations.putAll(c.getMetadata().getAnnotations());
              }
              annotations.put(key, value);
              c.getMetadata().setAnnotations(annotations);
              return c;
            });
  }

  CanaryPhase phase() {
    return fixture.get().getStatus().phaseOrNone();
  }

  int weight() {
    return fixture.get().getStatus().canaryWeightOrZero();
  }

  ControlStatus control() {
    ControlStatus c = fixture.get().getStatus().control();
    return c == null ? ControlStatus.EMPTY : c;
  }

  Routes routes() {
    Canary named = new Canary();
    named.setMetadata(fixture.get().getMetadata());
    return mesh.getRoutes(named);
  }

  int targetReplicas() {
    return client
        .apps()
        .deployments()
        .inNamespace(CanaryFixture.NS)
        .withName(CanaryFixture.NAME)
        .get()
        .getSpec()
        .getReplicas();
  }

  static CanaryWebhook gate(String type, String url) {
    return CanaryFixture.hook(type, type, url);
  }

  @Test
  void promoteTakesTheNextStepPastAClosedGateOnce() {
    start();
    progressingAtWeight50(List.of(gate("confirm-traffic-increase", hooks.url("more"))));
    hooks.respond("more", 403);

    String id = command(ControlAction.PROMOTE, null);
    tick();

    assertThat(weight()).isEqualTo(100);
    assertThat(events.messages())
        .containsExactly(
            "Promotion requested by alice",
            "Skipping the checks of podinfo.default: promotion requested",
            "Confirm-traffic-increase check skipped: promotion requested",
            "Advance podinfo.default canary weight 100");
    assertThat(control().lastCommandId()).isEqualTo(id);
    assertThat(control().lastCommandResult()).isEqualTo(ControlStatus.ACCEPTED);
    assertThat(control().promoteNext()).isNull();

    // the next tick asks the gate again: closed
    events.clear();
    tick();
    assertThat(events.messages())
        .containsExactly(
            "Halt podinfo.default advancement waiting for traffic increase approval"
                + " confirm-traffic-increase");
    assertThat(phase()).isEqualTo(CanaryPhase.PROGRESSING);
  }

  @Test
  void promoteFullSkipsTheRemainingStepsAndPromotes() {
    start();
    progressingAtWeight50(List.of());

    command(ControlAction.PROMOTE_FULL, null);
    tick();

    assertThat(phase()).isEqualTo(CanaryPhase.PROMOTING);
    assertThat(control().promoteFull()).isNull();
    tick(); // traffic back to the primary → Finalising
    tick(); // → Succeeded
    assertThat(phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(events.messages())
        .containsExactly(
            "Full promotion requested by alice",
            "Copying podinfo.default template spec to podinfo-primary.default",
            "Routing all traffic to primary",
            "Promotion completed! Scaling down podinfo.default");
    assertThat(routes()).isEqualTo(Routes.allPrimary());
  }

  @Test
  void abortRollsBackNowAndRetryRunsTheAnalysisAgain() {
    start();
    progressingAtWeight50(List.of());

    command(ControlAction.ABORT, null);
    tick();

    assertThat(phase()).isEqualTo(CanaryPhase.FAILED);
    assertThat(routes()).isEqualTo(Routes.allPrimary());
    assertThat(targetReplicas()).isZero();
    assertThat(control().abort()).isNull();
    assertThat(events.all())
        .extracting(Object::toString)
        .containsExactly(
            "Progressing Normal Rollback requested by alice",
            "Progressing Warning Rolling back podinfo.default: aborted by alice",
            "Failed Warning Canary failed! Scaling down podinfo.default");

    // the Failed release stays Failed: no spec change
    tick();
    assertThat(phase()).isEqualTo(CanaryPhase.FAILED);
    events.clear();

    command(ControlAction.RETRY, null);
    tick();
    assertThat(phase()).isEqualTo(CanaryPhase.PROGRESSING);
    tick();
    assertThat(weight()).isEqualTo(50);
    assertThat(events.messages())
        .containsExactly(
            "Retry requested by alice",
            "New revision detected! Scaling up podinfo.default",
            "Starting canary analysis for podinfo.default",
            "Advance podinfo.default canary weight 50");
  }

  @Test
  void pauseHoldsAcrossTicksUntilResume() {
    start();
    progressingAtWeight50(List.of(CanaryFixture.hook("check", "rollout", hooks.url("check"))));
    int calls = hooks.calls().size();

    command(ControlAction.PAUSE, null);
    tick();
    tick();
    assertThat(weight()).isEqualTo(50);
    assertThat(hooks.calls()).hasSize(calls);
    assertThat(control().paused()).isTrue();
    assertThat(control().pausedBy()).isEqualTo("alice");
    assertThat(fixture.get().getSpec().suspend()).isNull();
    assertThat(events.messages())
        .containsExactly(
            "Pause requested by alice",
            "podinfo.default is paused by alice",
            "podinfo.default is paused by alice");

    command(ControlAction.RESUME, null);
    tick();
    assertThat(weight()).isEqualTo(100);
    assertThat(hooks.calls()).hasSize(calls + 1);
    assertThat(control().paused()).isNull();
  }

  @Test
  void approvingConfirmRolloutStartsTheWaitingRelease() {
    start();
    initialized(List.of(gate("confirm-rollout", hooks.url("rollout"))));
    hooks.respond("rollout", 403);
    fixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
    tick();
    assertThat(phase()).isEqualTo(CanaryPhase.WAITING);
    int calls = hooks.calls().size();
    events.clear();

    command(ControlAction.APPROVE, "confirm-rollout");
    tick();

    assertThat(phase()).isEqualTo(CanaryPhase.PROGRESSING);
    assertThat(hooks.calls()).hasSize(calls);
    assertThat(control().approvedGates()).isNull();
    assertThat(events.messages())
        .containsExactly(
            "Gate confirm-rollout approved by alice",
            "Confirm-rollout check skipped: confirm-rollout approved",
            "New revision detected! Scaling up podinfo.default");
  }

  @Test
  void approvingConfirmTrafficIncreaseOpensItForOneStep() {
    start();
    progressingAtWeight50(List.of(gate("confirm-traffic-increase", hooks.url("more"))));
    hooks.respond("more", 403);
    tick();
    assertThat(weight()).isEqualTo(50);
    events.clear();

    command(ControlAction.APPROVE, "confirm-traffic-increase");
    tick();

    assertThat(weight()).isEqualTo(100);
    assertThat(control().approvedGates()).isNull();
    assertThat(events.messages())
        .containsExactly(
            "Gate confirm-traffic-increase approved by alice",
            "Confirm-traffic-increase check skipped: confirm-traffic-increase approved",
            "Advance podinfo.default canary weight 100");
    tick();
    assertThat(events.messages())
        .endsWith(
            "Halt podinfo.default advancement waiting for traffic increase approval"
                + " confirm-traffic-increase");
  }

  @Test
  void approvingConfirmPromotionPromotesTheWaitingRelease() {
    start();
    progressingAtWeight50(List.of(gate("confirm-promotion", hooks.url("promote"))));
    hooks.respond("promote", 403);
    tick(); // weight 100
    tick(); // the gate is closed
    assertThat(phase()).isEqualTo(CanaryPhase.WAITING_PROMOTION);
    events.clear();

    command(ControlAction.APPROVE, "confirm-promotion");
    tick();

    assertThat(phase()).isEqualTo(CanaryPhase.PROMOTING);
    assertThat(control().approvedGates()).isNull();
    assertThat(events.messages())
        .containsExactly(
            "Gate confirm-promotion approved by alice",
            "Confirm-promotion check skipped: confirm-promotion approved",
            "Copying podinfo.default template spec to podinfo-primary.default");
  }

  @Test
  void aCommandInTheWrongPhaseIsIgnoredWithAWarning() {
    start();
    initialized(List.of());

    String id = command(ControlAction.PROMOTE, null);
    tick();

    assertThat(events.all())
        .extracting(Object::toString)
        .endsWith(
            "Initialized Warning Ignoring promote requested by alice: podinfo.default is"
                + " Initialized, expected Waiting, Progressing or WaitingPromotion");
    assertThat(control().lastCommandId()).isEqualTo(id);
    assertThat(control().lastCommandResult()).isEqualTo(ControlStatus.IGNORED);
    assertThat(control().promoteNext()).isNull();
    assertThat(phase()).isEqualTo(CanaryPhase.INITIALIZED);
  }

  @Test
  void anInvalidAnnotationIsRefusedOnceWithTheField() {
    start();
    progressingAtWeight50(List.of());

    annotate(Json.createObjectBuilder().add("id", "x").add("action", "approve").build().toString());
    tick();
    tick();

    assertThat(events.messages())
        .filteredOn(m -> m.startsWith("Invalid"))
        .containsExactly(
            "Invalid control command for podinfo.default: control.flagger.app/command: gate:"
                + " expected one of [confirm-rollout, confirm-traffic-increase, confirm-promotion]"
                + " to approve, got nothing");
    assertThat(control().lastCommandResult()).isEqualTo(ControlStatus.INVALID);
    assertThat(phase()).as("the release goes on").isEqualTo(CanaryPhase.PROMOTING);
  }

  @Test
  void theSameCommandIdIsHandledOnce() {
    start();
    progressingAtWeight50(List.of(gate("confirm-traffic-increase", hooks.url("more"))));
    hooks.respond("more", 403);

    command(ControlAction.PROMOTE, null);
    String again = fixture.get().getMetadata().getAnnotations().get(ControlCommand.ANNOTATION);
    tick();
    annotate(again); // written again, as a GitOps tool or a retrying client might
    annotate("touched", "yes");
    tick();

    assertThat(events.messages()).containsOnlyOnce("Promotion requested by alice");
    assertThat(weight()).isEqualTo(100);
  }

  @Test
  void aCommandSetBeforeARestartIsHandledOnceByTheNewController() {
    start();
    progressingAtWeight50(List.of(gate("confirm-traffic-increase", hooks.url("more"))));
    hooks.respond("more", 403);

    // the command lands while no controller runs
    stop();
    String id = command(ControlAction.PROMOTE, null);
    start();
    scheduled();
    tick();
    assertThat(weight()).isEqualTo(100);
    assertThat(control().lastCommandId()).isEqualTo(id);

    // and once more after another restart: the status says it is handled
    stop();
    start();
    scheduled();
    tick();
    List<String> acks = new ArrayList<>(events.messages());
    acks.removeIf(m -> !m.equals("Promotion requested by alice"));
    assertThat(acks).hasSize(1);
    assertThat(weight()).isEqualTo(100);
  }
}
