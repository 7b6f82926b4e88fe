package app.flagger.controller.tick;

import static app.flagger.controller.support.CanaryFixture.analysis;
import static app.flagger.controller.support.CanaryFixture.hook;
import static app.flagger.controller.support.CanaryFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The one owner of transitions: each writes the status, sets the gauge, records and alerts. */
class TransitionsTest {
  private final TickFixture f = new TickFixture();

  private static CanarySpec plain() {
    return spec(
        "istio",
        analysis(10, null, 5, 2, List.of(hook("post", "post-rollout", "http://hooks/post"))));
  }

  record Case(String name, CanaryPhase from, Decision decision, CanaryPhase to, String write) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> phaseChanges() {
    return Stream.of(
        new Case(
            "initialized",
            CanaryPhase.INITIALIZING,
            new Decision.Initialized(),
            CanaryPhase.INITIALIZED,
            "syncStatus Initialized 0/0/0"),
        new Case(
            "started",
            CanaryPhase.SUCCEEDED,
            new Decision.Started(),
            CanaryPhase.PROGRESSING,
            "syncStatus Progressing 0/0/0"),
        new Case(
            "restarted",
            CanaryPhase.PROGRESSING,
            new Decision.Restarted(),
            CanaryPhase.PROGRESSING,
            "syncStatus Progressing 0/0/0"),
        new Case(
            "waiting",
            CanaryPhase.SUCCEEDED,
            new Decision.AwaitApproval(Decision.Gate.ROLLOUT, "gate", false),
            CanaryPhase.WAITING,
            "setPhase Waiting"),
        new Case(
            "waiting promotion",
            CanaryPhase.PROGRESSING,
            new Decision.AwaitApproval(Decision.Gate.PROMOTION, "gate", false),
            CanaryPhase.WAITING_PROMOTION,
            "setPhase WaitingPromotion"),
        new Case(
            "promoting",
            CanaryPhase.PROGRESSING,
            new Decision.Promoting(),
            CanaryPhase.PROMOTING,
            "setPhase Promoting"),
        new Case(
            "finalising",
            CanaryPhase.PROMOTING,
            new Decision.Finalising(),
            CanaryPhase.FINALISING,
            "setPhase Finalising"),
        new Case(
            "finalising after the last promotion step",
            CanaryPhase.PROMOTING,
            new Decision.PromotionShifted(100, 0),
            CanaryPhase.FINALISING,
            "setPhase Finalising"),
        new Case(
            "succeeded",
            CanaryPhase.FINALISING,
            new Decision.Succeeded(false),
            CanaryPhase.SUCCEEDED,
            "setPhase Succeeded"),
        new Case(
            "rolled back",
            CanaryPhase.PROGRESSING,
            new Decision.Rollback(Decision.Cause.FAILED_CHECKS, ""),
            CanaryPhase.FAILED,
            "syncStatus Failed 0/0/0"),
        new Case(
            "promotion failed",
            CanaryPhase.PROMOTING,
            new Decision.PromotionFailed("stuck"),
            CanaryPhase.FAILED,
            "syncStatus Failed 100/0/0"));
  }

  @ParameterizedTest
  @MethodSource("phaseChanges")
  void everyPhaseChangeWritesTheStatusAndSetsTheGauge(Case c) {
    Tick t = f.tick(f.canary(plain(), c.from(), 0, 0, 0));
    f.setRoutes(app.flagger.controller.router.Routes.allPrimary());

    f.transitions.apply(t, c.decision());

    assertThat(f.status.writes()).containsExactly(c.write());
    assertThat(t.phase()).isEqualTo(c.to());
    assertThat(f.statusGauge()).isEqualTo(c.to().statusMetricValue());
  }

  @Test
  void aClosedPromotionGateThatWasAlreadyWaitingHoldsTheLastIteration() {
    Tick t = f.tick(f.canary(plain(), CanaryPhase.WAITING_PROMOTION, 0, 0, 5));

    f.transitions.apply(t, new Decision.AwaitApproval(Decision.Gate.PROMOTION, "gate", false));

    assertThat(f.status.writes()).containsExactly("setIterations 4");
    assertThat(f.events.messages()).isEmpty();
  }

  @Test
  void aMutedGateSendsNoAlert() {
    Tick t = f.tick(f.canary(plain(), CanaryPhase.PROGRESSING, 10, 0, 0));

    f.transitions.apply(t, new Decision.AwaitApproval(Decision.Gate.TRAFFIC_INCREASE, "g", true));

    assertThat(f.events.messages())
        .containsExactly(
            "Halt " + f.key() + " advancement waiting for traffic increase approval g");
    assertThat(f.alerts.alerts()).isEmpty();
    assertThat(f.status.writes()).isEmpty();
  }

  @Test
  void aHaltCountsAFailedCheckBeforeItsWarning() {
    Tick t = f.tick(f.canary(plain(), CanaryPhase.PROGRESSING, 10, 1, 0));

    f.transitions.apply(t, new Decision.Halt("Halt advancement no values found"));

    assertThat(f.status.writes()).containsExactly("setFailedChecks 2");
    assertThat(t.failedChecks()).isEqualTo(2);
    assertThat(f.events.all())
        .extracting(Object::toString)
        .containsExactly("Progressing Warning Halt advancement no values found");
  }

  @Test
  void aWaitOnlyWarns() {
    Tick t = f.tick(f.canary(plain(), CanaryPhase.PROGRESSING, 10, 1, 0));

    f.transitions.apply(t, new Decision.Wait("not ready"));

    assertThat(f.status.writes()).isEmpty();
    assertThat(f.alerts.alerts()).isEmpty();
    assertThat(f.events.messages()).containsExactly("not ready");
  }

  @Test
  void terminatingIsAPhaseWithItsEvent() {
    var stored = f.transitions.terminating(f.canary(plain(), CanaryPhase.SUCCEEDED, 0, 0, 0));

    assertThat(stored.getStatus().phase()).isEqualTo(CanaryPhase.TERMINATING);
    assertThat(f.events.messages()).containsExactly("Terminating canary " + f.key());
  }
}
