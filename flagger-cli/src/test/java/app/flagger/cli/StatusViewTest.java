package app.flagger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.control.AnalysisDecision;
import app.flagger.model.control.AnalysisDecision.CheckResult;
import app.flagger.model.control.ControlCommand;
import app.flagger.model.control.ControlStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The status page rendered from recorded Canary states, compared with golden files under {@code
 * src/test/resources/status/}; {@code -Dgolden.write=true} rewrites them.
 */
class StatusViewTest {
  static final Instant NOW = MockCluster.NOW;

  /** A canary release at 30% after two analyses, the last one failing a check, paused by alice. */
  static Canary progressingPaused() {
    ControlStatus control =
        new ControlStatus(
            "b2c1",
            "pause",
            ControlStatus.ACCEPTED,
            "Pause requested by alice",
            "2026-12-06T10:04:30Z",
            true,
            "alice",
            null,
            null,
            null,
            null,
            null);
    List<AnalysisDecision> decisions =
        List.of(
            new AnalysisDecision(
                "2026-12-06T10:03:00Z",
                "Progressing",
                30,
                null,
                List.of(
                    new CheckResult("request-success-rate", 99.91, 99.0, null, "pass", null),
                    new CheckResult("request-duration", 312.0, null, 500.0, "pass", null)),
                "advance",
                "Advance podinfo.test canary weight 30"),
            new AnalysisDecision(
                "2026-12-06T10:04:00Z",
                "Progressing",
                30,
                null,
                List.of(
                    new CheckResult("request-success-rate", 99.5, 99.0, null, "pass", null),
                    new CheckResult("request-duration", 612.345, null, 500.0, "fail", null)),
                "hold",
                "Halt podinfo.test advancement request duration 612ms > 500ms"));
    return Fixtures.canary(
        Fixtures.NAME,
        Fixtures.canaryAnalysis(),
        Fixtures.status(CanaryPhase.PROGRESSING, 30, 0, 1, control, decisions));
  }

  /** Held at confirm-promotion, with a promote --full the controller has not seen yet. */
  static Canary waitingPromotionWithPendingCommand() {
    Canary c =
        Fixtures.canary(
            Fixtures.NAME,
            Fixtures.canaryAnalysis(),
            Fixtures.status(
                CanaryPhase.WAITING_PROMOTION,
                50,
                0,
                0,
                null,
                List.of(
                    new AnalysisDecision(
                        "2026-12-06T10:04:50Z",
                        "Progressing",
                        50,
                        null,
                        List.of(
                            new CheckResult(
                                "request-success-rate", null, 99.0, null, "error", "no values")),
                        "gate-closed",
                        "Halt podinfo.test advancement waiting for promotion approval approval"))));
    c.getMetadata()
        .setAnnotations(
            Map.of(
                ControlCommand.ANNOTATION,
                new ControlCommand(
                        "7f3c",
                        app.flagger.model.control.ControlAction.PROMOTE_FULL,
                        null,
                        "bob",
                        null)
                    .toJson()));
    return c;
  }

  /** A blue/green release that succeeded, a gate approved ahead of the next revision. */
  static Canary blueGreenSucceeded() {
    ControlStatus control =
        new ControlStatus(
            "9a9a",
            "approve",
            ControlStatus.ACCEPTED,
            "confirm-rollout approved by carol",
            "2026-12-06T09:00:00Z",
            null,
            null,
            null,
            null,
            null,
            List.of("confirm-rollout"),
            null);
    return Fixtures.canary(
        "backend",
        Fixtures.blueGreenAnalysis(),
        Fixtures.status(CanaryPhase.SUCCEEDED, 0, 0, 0, control, null));
  }

  static Event event(String type, String reason, String message, String time) {
    return new EventBuilder()
        .withNewMetadata()
        .withName("podinfo." + time)
        .withNamespace(Fixtures.NS)
        .endMetadata()
        .withNewInvolvedObject()
        .withKind("Canary")
        .withName(Fixtures.NAME)
        .withNamespace(Fixtures.NS)
        .endInvolvedObject()
        .withType(type)
        .withReason(reason)
        .withMessage(message)
        .withLastTimestamp(time)
        .build();
  }

  static List<Event> events() {
    return List.of(
        event(
            "Warning",
            "Synced",
            "Halt podinfo.test advancement request duration 612ms > 500ms",
            "2026-12-06T10:04:00Z"),
        event("Normal", "Synced", "Advance podinfo.test canary weight 30", "2026-12-06T10:03:00Z"),
        event("Normal", "Synced", "Pause requested by alice", "2026-12-06T10:04:30Z"));
  }

  private static void assertGolden(String name, String actual) throws IOException {
    Path golden = Path.of("src/test/resources/status", name + ".txt");
    if (Boolean.getBoolean("golden.write")) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, actual);
    }
    assertThat(actual).isEqualTo(Files.readString(golden));
  }

  @Test
  void aPausedCanaryReleaseShowsItsStepChecksGatesEventsAndDecisions() throws IOException {
    assertGolden("progressing-paused", StatusView.render(progressingPaused(), events(), NOW));
  }

  @Test
  void aReleaseHeldAtAGateShowsTheGateWaitingAndTheUnacknowledgedCommand() throws IOException {
    assertGolden(
        "waiting-promotion",
        StatusView.render(waitingPromotionWithPendingCommand(), List.of(), NOW));
  }

  @Test
  void aBlueGreenReleaseCountsIterationsAndShowsAnApprovedGate() throws IOException {
    assertGolden("blue-green-succeeded", StatusView.render(blueGreenSucceeded(), List.of(), NOW));
  }

  @Test
  void onlyTheLastFiveEventsAreShownNewestLast() {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      events.add(event("Normal", "Synced", "event " + i, "2026-12-06T10:0" + i + ":00Z"));
    }
    java.util.Collections.reverse(events);

    String page =
        StatusView.render(progressingPaused(), events, Instant.parse("2026-12-06T10:10:00Z"));

    assertThat(page)
        .doesNotContain("event 2")
        .containsSubsequence("event 3", "event 4", "event 5", "event 6", "event 7");
  }

  @Test
  void agesFollowKubectl() {
    assertThat(
            List.of(
                Ages.human(java.time.Duration.ofSeconds(45)),
                Ages.human(java.time.Duration.ofSeconds(150)),
                Ages.human(java.time.Duration.ofMinutes(5)),
                Ages.human(java.time.Duration.ofMinutes(42)),
                Ages.human(java.time.Duration.ofMinutes(200)),
                Ages.human(java.time.Duration.ofHours(30)),
                Ages.human(java.time.Duration.ofHours(75)),
                Ages.human(java.time.Duration.ofDays(40))))
        .containsExactly("45s", "2m30s", "5m", "42m", "3h20m", "30h", "3d3h", "40d");
    assertThat(Ages.since(null, NOW)).isEqualTo("<unknown>");
  }
}
