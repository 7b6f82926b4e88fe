package app.flagger.controller.tick;

import static app.flagger.controller.support.CanaryFixture.analysis;
import static app.flagger.controller.support.CanaryFixture.hook;
import static app.flagger.controller.support.CanaryFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.router.Routes;
import app.flagger.controller.support.RecordingStatusWriter;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.canary.CanaryWebhook;
import app.flagger.model.control.ControlAction;
import app.flagger.model.control.ControlCommand;
import app.flagger.model.control.ControlStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The "commands" step and the effects of each command on whole ticks, on fakes. */
class CommandsTest {
  private final TickFixture f = new TickFixture();

  /** A rollout check, a confirm-promotion gate and a confirm-traffic-increase gate. */
  private static final List<CanaryWebhook> HOOKS =
      List.of(
          hook("check", "rollout", "http://hooks/check"),
          hook("gate", "confirm-promotion", "http://hooks/gate"),
          hook("more", "confirm-traffic-increase", "http://hooks/more"));

  private static CanarySpec gated() {
    return spec("istio", analysis(10, null, null, 2, HOOKS));
  }

  private Canary at(CanaryPhase phase, int weight, ControlCommand cmd) {
    Canary c = f.canary(gated(), phase, weight, 0, 0);
    if (cmd != null) {
      c.setMetadata(
          new ObjectMetaBuilder(c.getMetadata())
              .withAnnotations(Map.of(ControlCommand.ANNOTATION, cmd.toJson()))
              .build());
    }
    return c;
  }

  private static ControlCommand cmd(String id, ControlAction action) {
    return new ControlCommand(id, action, null, "alice", "2026-12-06T10:00:00Z");
  }

  private static Canary annotated(Canary c, String raw) {
    c.setMetadata(
        new ObjectMetaBuilder(c.getMetadata())
            .withAnnotations(Map.of(ControlCommand.ANNOTATION, raw))
            .build());
    return c;
  }

  /** Runs a whole tick of {@code c}; returns the Canary as last stored. */
  private Canary tick(Canary c) {
    Tick t = f.tick(c);
    f.tick.run(t);
    return t.canary();
  }

  private static ControlStatus control(Canary c) {
    return c.getStatus().control() == null ? ControlStatus.EMPTY : c.getStatus().control();
  }

  @Test
  void promoteTakesTheNextStepAtOnceWithoutChecksOrGates() {
    f.setRoutes(new Routes(90, 10, false));
    f.hooks.failing("http://hooks/more", "closed");

    Canary after = tick(at(CanaryPhase.PROGRESSING, 10, cmd("1", ControlAction.PROMOTE)));

    assertThat(f.routes()).isEqualTo(new Routes(80, 20, false));
    assertThat(f.hooks.calls()).isEmpty();
    assertThat(f.events.messages())
        .containsExactly(
            "Promotion requested by alice",
            "Skipping the checks of " + f.key() + ": promotion requested",
            "Confirm-traffic-increase check skipped: promotion requested",
            "Advance " + f.key() + " canary weight 20");
    assertThat(f.status.writes()).containsExactly("setControl", "setWeight 20", "setControl");
    ControlStatus c = control(after);
    assertThat(c.lastCommandId()).isEqualTo("1");
    assertThat(c.lastCommandAction()).isEqualTo("promote");
    assertThat(c.lastCommandResult()).isEqualTo(ControlStatus.ACCEPTED);
    assertThat(c.lastCommandMessage()).isEqualTo("Promotion requested by alice");
    assertThat(c.lastCommandTime()).isEqualTo(f.clock.instant().toString());
    assertThat(c.promoteNext()).isNull();
  }

  @Test
  void aCommandAlreadyHandledIsNotHandledAgain() {
    f.setRoutes(new Routes(90, 10, false));
    Canary first = tick(at(CanaryPhase.PROGRESSING, 10, cmd("1", ControlAction.PAUSE)));
    assertThat(f.events.messages())
        .containsExactly("Pause requested by alice", f.key() + " is paused by alice");
    f.events.clear();

    Canary second = tick(first);

    assertThat(f.events.messages()).containsExactly(f.key() + " is paused by alice");
    assertThat(f.status.writes()).containsExactly("setControl");
    assertThat(control(second)).isEqualTo(control(first));
  }

  @Test
  void aCommandInTheWrongPhaseIsIgnoredWithAWarning() {
    Canary after = tick(at(CanaryPhase.SUCCEEDED, 0, cmd("1", ControlAction.PROMOTE)));

    assertThat(f.events.all())
        .extracting(Object::toString)
        .containsExactly(
            "Succeeded Warning Ignoring promote requested by alice: "
                + f.key()
                + " is Succeeded, expected Waiting, Progressing or WaitingPromotion");
    ControlStatus c = control(after);
    assertThat(c.lastCommandResult()).isEqualTo(ControlStatus.IGNORED);
    assertThat(c.promoteNext()).isNull();
  }

  @Test
  void anInvalidAnnotationIsReportedOnceNamingTheField() {
    Canary c =
        annotated(
            f.canary(gated(), CanaryPhase.SUCCEEDED, 0, 0, 0),
            "{\"id\":\"1\",\"action\":\"jump\"}");

    Canary after = tick(c);
    Canary again = tick(after);

    assertThat(f.events.all())
        .extracting(Object::toString)
        .containsExactly(
            "Succeeded Warning Invalid control command for "
                + f.key()
                + ": control.flagger.app/command: action: expected one of [promote, promote-full,"
                + " abort, retry, pause, resume, approve], got 'jump'");
    assertThat(control(again).lastCommandResult()).isEqualTo(ControlStatus.INVALID);
    assertThat(control(again).lastCommandId()).startsWith("invalid-");
    assertThat(f.status.writes()).containsExactly("setControl");
  }

  @Test
  void abortRollsBackNowNamingWhoAsked() {
    f.setRoutes(new Routes(70, 30, false));

    Canary after = tick(at(CanaryPhase.PROGRESSING, 30, cmd("1", ControlAction.ABORT)));

    assertThat(f.routes()).isEqualTo(Routes.allPrimary());
    assertThat(f.target.calls()).containsExactly("scaleToZero");
    assertThat(f.events.messages())
        .containsExactly(
            "Rollback requested by alice",
            "Rolling back " + f.key() + ": aborted by alice",
            "Canary failed! Scaling down " + f.key());
    assertThat(f.alerts.alerts()).containsExactly("warn Rolling back: aborted by alice");
    assertThat(after.getStatus().phase()).isEqualTo(CanaryPhase.FAILED);
    assertThat(control(after).abort()).isNull();
    assertThat(control(after).lastCommandResult()).isEqualTo(ControlStatus.ACCEPTED);
  }

  @Test
  void promoteFullCopiesTheTemplateAndClearsItself() {
    f.setRoutes(new Routes(90, 10, false));

    Canary after = tick(at(CanaryPhase.PROGRESSING, 10, cmd("1", ControlAction.PROMOTE_FULL)));

    assertThat(f.events.messages())
        .containsExactly(
            "Full promotion requested by alice",
            "Copying podinfo." + f.ns + " template spec to podinfo-primary." + f.ns);
    assertThat(f.hooks.calls()).isEmpty();
    assertThat(f.target.calls()).endsWith("promote");
    assertThat(after.getStatus().phase()).isEqualTo(CanaryPhase.PROMOTING);
    assertThat(control(after).promoteFull()).isNull();
  }

  @Test
  void pauseHoldsUntilResume() {
    f.setRoutes(new Routes(90, 10, false));
    Canary paused = tick(at(CanaryPhase.PROGRESSING, 10, cmd("1", ControlAction.PAUSE)));
    Canary still = tick(paused);

    assertThat(f.routes()).isEqualTo(new Routes(90, 10, false));
    assertThat(f.hooks.calls()).isEmpty();
    assertThat(f.target.calls()).isEmpty();
    assertThat(control(still).paused()).isTrue();
    assertThat(control(still).pausedBy()).isEqualTo("alice");

    Canary resumed = tick(annotated(still, cmd("2", ControlAction.RESUME).toJson()));

    assertThat(f.routes()).isEqualTo(new Routes(80, 20, false));
    assertThat(control(resumed).paused()).isNull();
    assertThat(f.events.messages())
        .containsExactly(
            "Pause requested by alice",
            f.key() + " is paused by alice",
            f.key() + " is paused by alice",
            "Resume requested by alice",
            "Confirm-traffic-increase check more passed",
            "Advance " + f.key() + " canary weight 20");
  }

  @Test
  void anApprovedGateOpensOnceWithoutItsWebhook() {
    f.setRoutes(new Routes(0, 100, false));
    f.hooks.failing("http://hooks/gate", "closed");
    ControlCommand approve =
        new ControlCommand("1", ControlAction.APPROVE, "confirm-promotion", "bob", null);

    Canary after = tick(at(CanaryPhase.WAITING_PROMOTION, 100, approve));

    assertThat(f.hooks.calls()).containsExactly("http://hooks/check");
    assertThat(f.events.messages())
        .containsExactly(
            "Gate confirm-promotion approved by bob",
            "Confirm-promotion check skipped: confirm-promotion approved",
            "Copying podinfo." + f.ns + " template spec to podinfo-primary." + f.ns);
    assertThat(after.getStatus().phase()).isEqualTo(CanaryPhase.PROMOTING);
    assertThat(control(after).approvedGates()).isNull();
  }

  /** Blue/green asks confirm-promotion before routing all traffic to the canary and again after. */
  @Test
  void anApprovedConfirmPromotionLastsUntilTheBlueGreenPromotionStarts() {
    f.hooks.failing("http://hooks/gate", "closed");
    Canary c =
        f.canary(
            spec("istio", analysis(null, null, 2, 2, HOOKS)),
            CanaryPhase.WAITING_PROMOTION,
            0,
            0,
            2);
    ControlCommand approve =
        new ControlCommand("1", ControlAction.APPROVE, "confirm-promotion", "bob", null);

    Canary allOnCanary = tick(annotated(c, approve.toJson()));
    assertThat(f.routes()).isEqualTo(new Routes(0, 100, false));
    assertThat(control(allOnCanary).approvedGates()).containsExactly("confirm-promotion");

    Canary promoting = tick(allOnCanary);
    assertThat(promoting.getStatus().phase()).isEqualTo(CanaryPhase.PROMOTING);
    assertThat(control(promoting).approvedGates()).isNull();
    assertThat(f.hooks.calls()).doesNotContain("http://hooks/gate");
  }

  @Test
  void anApprovalWaitsForItsGateAndIsClearedWhenTheReleaseEnds() {
    f.setRoutes(new Routes(90, 10, false));
    ControlCommand approve =
        new ControlCommand("1", ControlAction.APPROVE, "confirm-promotion", "bob", null);

    Canary advanced = tick(at(CanaryPhase.PROGRESSING, 10, approve));
    assertThat(control(advanced).approvedGates()).containsExactly("confirm-promotion");

    f.setRoutes(new Routes(70, 30, false));
    Canary failed = tick(RecordingStatusWriter.with(advanced, CanaryPhase.PROGRESSING, 30, 2, 0));

    assertThat(failed.getStatus().phase()).isEqualTo(CanaryPhase.FAILED);
    assertThat(control(failed).approvedGates()).isNull();
    assertThat(control(failed).lastCommandId()).isEqualTo("1");
  }

  @Test
  void promoteWhileWaitingOpensTheConfirmRolloutGate() {
    CanarySpec s =
        spec(
            "istio",
            analysis(10, null, null, 2, List.of(hook("gate", "confirm-rollout", "http://gate"))));
    f.hooks.failing("http://gate", "closed");

    Canary started =
        tick(
            annotated(
                f.canary(s, CanaryPhase.WAITING, 0, 0, 0),
                cmd("1", ControlAction.PROMOTE).toJson()));

    assertThat(started.getStatus().phase()).isEqualTo(CanaryPhase.PROGRESSING);
    assertThat(f.hooks.calls()).isEmpty();
    assertThat(control(started).promoteNext()).isNull();
  }

  @Test
  void abortWorksWhilePaused() {
    f.setRoutes(new Routes(90, 10, false));
    Canary paused = tick(at(CanaryPhase.PROGRESSING, 10, cmd("1", ControlAction.PAUSE)));

    Canary failed = tick(annotated(paused, cmd("2", ControlAction.ABORT).toJson()));

    assertThat(failed.getStatus().phase()).isEqualTo(CanaryPhase.FAILED);
    assertThat(control(failed).paused()).isNull();
    assertThat(control(failed).abort()).isNull();
    assertThat(f.routes()).isEqualTo(Routes.allPrimary());
  }

  /** A gate without webhooks is open anyway: its approval is not spent there. */
  @Test
  void anApprovalOfAGateWithoutWebhooksIsLeftAlone() {
    f.setRoutes(new Routes(0, 100, false));
    Canary c =
        f.canary(
            spec("istio", analysis(10, null, null, 2, List.of())),
            CanaryPhase.PROGRESSING,
            100,
            0,
            0);
    ControlCommand approve =
        new ControlCommand("1", ControlAction.APPROVE, "confirm-promotion", "bob", null);

    Canary promoting = tick(annotated(c, approve.toJson()));

    assertThat(promoting.getStatus().phase()).isEqualTo(CanaryPhase.PROMOTING);
    assertThat(control(promoting).approvedGates()).containsExactly("confirm-promotion");
  }

  @Test
  void retryClearsTheAppliedSpecInTheAcknowledgement() {
    f.target.targetChanged = true;

    tick(at(CanaryPhase.FAILED, 0, cmd("1", ControlAction.RETRY)));

    assertThat(f.status.writes()).startsWith("retry", "syncStatus Failed 0/0/0");
    assertThat(f.events.messages()).startsWith("Retry requested by alice");
  }
}
