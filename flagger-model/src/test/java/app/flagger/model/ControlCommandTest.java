package app.flagger.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.control.AnalysisDecision;
import app.flagger.model.control.ControlAction;
import app.flagger.model.control.ControlCommand;
import org.junit.jupiter.api.Test;

/** The control annotation's value: round trip, and an error naming the field for bad input. */
class ControlCommandTest {
  @Test
  void aCommandSurvivesItsOwnJson() {
    ControlCommand approve =
        new ControlCommand(
            "id-1", ControlAction.APPROVE, "confirm-promotion", "alice", "2026-12-06T10:00:00Z");

    assertThat(ControlCommand.parse(approve.toJson())).isEqualTo(approve);
    assertThat(approve.toJson())
        .isEqualTo(
            "{\"id\":\"id-1\",\"action\":\"approve\",\"gate\":\"confirm-promotion\","
                + "\"user\":\"alice\",\"requestedAt\":\"2026-12-06T10:00:00Z\"}");
    assertThat(ControlCommand.parse("{\"id\":\"2\",\"action\":\"promote-full\"}"))
        .isEqualTo(new ControlCommand("2", ControlAction.PROMOTE_FULL, null, null, null));
  }

  @Test
  void badValuesNameTheFieldAndWhatWasExpected() {
    assertThatThrownBy(() -> ControlCommand.parse("promote"))
        .hasMessage(
            "control.flagger.app/command: expected a JSON object with id and action, got"
                + " 'promote'");
    assertThatThrownBy(() -> ControlCommand.parse("{\"action\":\"abort\"}"))
        .hasMessage("control.flagger.app/command: id: required, a unique request id");
    assertThatThrownBy(() -> ControlCommand.parse("{\"id\":\"1\",\"action\":\"rollback\"}"))
        .hasMessage(
            "control.flagger.app/command: action: expected one of [promote, promote-full, abort,"
                + " retry, pause, resume, approve], got 'rollback'");
    assertThatThrownBy(() -> ControlCommand.parse("{\"id\":\"1\",\"action\":\"approve\"}"))
        .hasMessage(
            "control.flagger.app/command: gate: expected one of [confirm-rollout,"
                + " confirm-traffic-increase, confirm-promotion] to approve, got nothing");
    assertThatThrownBy(
            () -> ControlCommand.parse("{\"id\":\"1\",\"action\":\"abort\",\"gate\":\"x\"}"))
        .hasMessage(
            "control.flagger.app/command: gate: only allowed with action approve, got action"
                + " abort");
    assertThatThrownBy(() -> ControlCommand.parse("{\"id\":1,\"action\":\"abort\"}"))
        .hasMessage("control.flagger.app/command: id: expected a string, got NUMBER");
  }

  @Test
  void actionsSayInWhichPhasesTheyMakeSense() {
    assertThat(ControlAction.RETRY.phases()).containsExactly(CanaryPhase.FAILED);
    assertThat(ControlAction.ABORT.phases())
        .contains(CanaryPhase.PROGRESSING)
        .doesNotContain(CanaryPhase.PROMOTING, CanaryPhase.SUCCEEDED);
    assertThat(ControlCommand.parse("{\"id\":\"x\",\"action\":\"pause\"}").requester())
        .isEqualTo("unknown user");
  }

  @Test
  void decisionMessagesAreBounded() {
    assertThat(AnalysisDecision.bounded("short")).isEqualTo("short");
    String longer = "x".repeat(300);
    assertThat(AnalysisDecision.bounded(longer))
        .hasSize(AnalysisDecision.MAX_MESSAGE)
        .endsWith("…");
  }
}
