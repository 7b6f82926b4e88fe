package app.flagger.controller.tick;

import static app.flagger.controller.support.CanaryFixture.analysis;
import static app.flagger.controller.support.CanaryFixture.hook;
import static app.flagger.controller.support.CanaryFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.canary.Readiness;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.istio.HttpMatchRequest;
import app.flagger.model.istio.StringMatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Single steps on fakes: each says what Flagger's step does, and touches nothing else. */
class StepsTest {
  private final TickFixture f = new TickFixture();

  private static CanarySpec plain() {
    return spec("istio", analysis(10, null, null, 2, List.of()));
  }

  private Tick at(CanaryPhase phase, int weight, int failed, int iterations) {
    return f.tick(f.canary(plain(), phase, weight, failed, iterations));
  }

  private Tick withRoutes(Tick t, Routes routes) {
    f.setRoutes(routes);
    assertThat(f.step("routes", t)).isEqualTo(Decision.CONTINUE);
    return t;
  }

  @Test
  void metricProvidersAreCheckedOnlyWhileInitializing() {
    assertThat(f.step("metric providers", at(CanaryPhase.PROGRESSING, 0, 0, 0)))
        .isEqualTo(Decision.CONTINUE);
    assertThat(f.events.messages()).isEmpty();
    f.step("metric providers", at(CanaryPhase.INITIALIZING, 0, 0, 0));
    assertThat(f.events.messages()).containsExactly("all the metrics providers are available!");
  }

  @Test
  void thePrimaryIsCheckedForReadinessOnlyWhileInitializing() {
    f.target.primary = new Readiness.NotReady(true, "not yet");
    assertThat(f.step("primary", at(CanaryPhase.SUCCEEDED, 0, 0, 0))).isEqualTo(Decision.CONTINUE);
    assertThat(f.step("primary", at(CanaryPhase.INITIALIZING, 0, 0, 0)))
        .isEqualTo(new Decision.Wait("not yet"));
    f.target.primary = new Readiness.NotReady(false, "deadline");
    assertThat(f.step("primary", at(CanaryPhase.INITIALIZING, 0, 0, 0)))
        .isEqualTo(new Decision.Rollback(Decision.Cause.NOT_READY, "deadline"));
  }

  @Test
  void scalingTheTargetDownFailsWithFlaggersMessage() {
    f.target.failing = "scaleToZero";
    f.target.failingMessage = "boom";
    assertThat(f.step("scale down target", at(CanaryPhase.INITIALIZING, 0, 0, 0)))
        .isEqualTo(
            new Decision.Wait("scaling down canary Deployment podinfo." + f.ns + " failed: boom"));
    assertThat(f.step("scale down target", at(CanaryPhase.SUCCEEDED, 0, 0, 0)))
        .isEqualTo(Decision.CONTINUE);
  }

  /** Flagger logs "Scaling down" with the canary field; so does the JSON log here. */
  @Test
  void scalingTheTargetDownIsLoggedWithTheCanaryField() {
    java.util.List<java.util.logging.LogRecord> records = new java.util.ArrayList<>();
    java.util.logging.Logger logger =
        java.util.logging.Logger.getLogger(ScaleDownTarget.class.getName());
    java.util.logging.Handler handler =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            records.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(handler);
    try {
      f.step("scale down target", at(CanaryPhase.INITIALIZING, 0, 0, 0));
    } finally {
      logger.removeHandler(handler);
    }
    assertThat(records)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getMessage()).isEqualTo("Scaling down Deployment podinfo." + f.ns);
              assertThat(r.getParameters())
                  .containsExactly(
                      new app.flagger.model.logging.JsonLogFormatter.CanaryField(f.key()));
            });
  }

  @Test
  void appMeshObjectsComeBeforeThePrimaryAndOthersAfter() {
    Tick istio = at(CanaryPhase.INITIALIZING, 0, 0, 0);
    f.step("App Mesh objects", istio);
    assertThat(f.routes()).isEqualTo(Routes.allPrimary());
    Tick appmesh = f.tick(f.canary(spec("appmesh", plain().analysis()), CanaryPhase.NONE, 0, 0, 0));
    assertThat(f.step("mesh objects", appmesh)).isEqualTo(Decision.CONTINUE);
  }

  @Test
  void changeDetectionLetsRunningCanariesGoOnAndIdlesUnchangedOnes() {
    assertThat(f.step("change detection", at(CanaryPhase.WAITING, 0, 0, 0)))
        .isEqualTo(Decision.CONTINUE);
    assertThat(f.step("change detection", at(CanaryPhase.SUCCEEDED, 0, 0, 0)))
        .isInstanceOf(Decision.Idle.class);
    f.target.dependenciesChanged = true;
    assertThat(f.step("change detection", at(CanaryPhase.SUCCEEDED, 0, 0, 0)))
        .isEqualTo(Decision.CONTINUE);
    assertThat(f.status.writes()).isEmpty();
  }

  @Test
  void aFailedCanaryIsResyncedBeforeItsChangesAreJudged() {
    Tick t = at(CanaryPhase.FAILED, 0, 3, 0);
    assertThat(f.step("change detection", t)).isInstanceOf(Decision.Idle.class);
    assertThat(f.status.writes()).containsExactly("syncStatus Failed 0/3/0");
  }

  @Test
  void primaryReadinessIsSkippedWithSkipAnalysis() {
    f.target.primary = new Readiness.NotReady(false, "stuck");
    Tick skipping =
        f.tick(
            f.canary(
                app.flagger.controller.support.CanaryFixture.with(plain(), true, null, null),
                CanaryPhase.PROGRESSING,
                0,
                0,
                0));
    assertThat(f.step("primary ready", skipping)).isEqualTo(Decision.CONTINUE);
    assertThat(f.step("primary ready", at(CanaryPhase.FINALISING, 0, 0, 0)))
        .isEqualTo(new Decision.PromotionFailed("stuck"));
    assertThat(f.step("primary ready", at(CanaryPhase.PROGRESSING, 0, 0, 0)))
        .isEqualTo(new Decision.Rollback(Decision.Cause.NOT_READY, "stuck"));
  }

  @Test
  void confirmRolloutLetsARunInProgressGoOn() {
    assertThat(f.step("confirm-rollout", at(CanaryPhase.WAITING_PROMOTION, 0, 0, 0)))
        .isEqualTo(Decision.CONTINUE);
    assertThat(f.target.calls()).doesNotContain("scaleFromZero");
  }

  @Test
  void aCanaryThatCannotScaleUpIsAnErrorEvent() {
    f.target.failing = "scaleFromZero";
    assertThat(f.step("confirm-rollout", at(CanaryPhase.SUCCEEDED, 0, 0, 0)))
        .isEqualTo(new Decision.Wait("target failed", true));
  }

  @Test
  void theFailedChecksGateRollsBackOnlyAnalysingCanaries() {
    assertThat(f.step("failed checks", at(CanaryPhase.PROGRESSING, 10, 2, 0)))
        .isEqualTo(new Decision.Rollback(Decision.Cause.FAILED_CHECKS, ""));
    assertThat(f.step("failed checks", at(CanaryPhase.WAITING_PROMOTION, 10, 2, 0)))
        .isInstanceOf(Decision.Rollback.class);
    assertThat(f.step("failed checks", at(CanaryPhase.PROGRESSING, 10, 1, 0)))
        .isEqualTo(Decision.CONTINUE);
  }

  @Test
  void promotionShiftsStepWeightPromotionPerTick() {
    CanarySpec s = spec("istio", analysis(10, 40, null, 2, List.of()));
    Tick t =
        withRoutes(
            f.tick(f.canary(s, CanaryPhase.PROMOTING, 100, 0, 0)), new Routes(30, 70, false));
    assertThat(f.step("promotion", t)).isEqualTo(new Decision.PromotionShifted(70, 30));
    assertThat(f.routes()).isEqualTo(new Routes(70, 30, false));
    Tick last =
        withRoutes(f.tick(f.canary(s, CanaryPhase.PROMOTING, 30, 0, 0)), new Routes(70, 30, false));
    assertThat(f.step("promotion", last)).isEqualTo(new Decision.PromotionShifted(100, 0));
  }

  @Test
  void theKubernetesProviderFinalisesAtOnce() {
    Tick t =
        f.tick(f.canary(spec("kubernetes", plain().analysis()), CanaryPhase.PROMOTING, 0, 0, 0));
    assertThat(f.step("promotion", t)).isInstanceOf(Decision.Finalising.class);
  }

  @Test
  void mirroringTakesAStepBeforeAnyWeightMoves() {
    CanaryAnalysis mirrored =
        new CanaryAnalysis(
            "10s", 2, null, 10, null, null, null, null, null, true, null, null, List.of(),
            List.of(), null, null);
    Tick first =
        withRoutes(
            f.tick(f.canary(spec("istio", mirrored), CanaryPhase.PROGRESSING, 0, 0, 0)),
            Routes.allPrimary());
    assertThat(f.step("traffic", first)).isEqualTo(new Decision.Advanced(0));
    assertThat(f.routes()).isEqualTo(new Routes(100, 0, true));
    Tick second =
        withRoutes(
            f.tick(f.canary(spec("istio", mirrored), CanaryPhase.PROGRESSING, 0, 0, 0)),
            new Routes(100, 0, true));
    assertThat(f.step("traffic", second)).isEqualTo(new Decision.Advanced(10));
    assertThat(f.routes()).isEqualTo(new Routes(90, 10, false));
  }

  @Test
  void aClosedTrafficIncreaseGateHoldsTheWeight() {
    CanarySpec s =
        spec(
            "istio",
            analysis(
                10,
                null,
                null,
                2,
                List.of(hook("more", "confirm-traffic-increase", "http://more"))));
    f.hooks.failing("http://more", "no");
    Tick t =
        withRoutes(
            f.tick(f.canary(s, CanaryPhase.PROGRESSING, 10, 0, 0)), new Routes(90, 10, false));
    assertThat(f.step("traffic", t))
        .isEqualTo(new Decision.AwaitApproval(Decision.Gate.TRAFFIC_INCREASE, "more", false));
    assertThat(f.routes()).isEqualTo(new Routes(90, 10, false));
  }

  @Test
  void blueGreenRoutesAllTrafficToTheCanaryForOneLastIteration() {
    CanarySpec s = spec("istio", analysis(null, null, 3, 2, List.of()));
    Tick counting =
        withRoutes(f.tick(f.canary(s, CanaryPhase.PROGRESSING, 0, 0, 1)), Routes.allPrimary());
    assertThat(f.step("traffic", counting)).isEqualTo(new Decision.Iterated(2, 3, true));
    Tick switching =
        withRoutes(f.tick(f.canary(s, CanaryPhase.PROGRESSING, 0, 0, 3)), Routes.allPrimary());
    assertThat(f.step("traffic", switching)).isEqualTo(new Decision.Iterated(4, 3, false));
    assertThat(f.routes()).isEqualTo(new Routes(0, 100, false));
    Tick promoting =
        withRoutes(
            f.tick(f.canary(s, CanaryPhase.PROGRESSING, 0, 0, 4)), new Routes(0, 100, false));
    assertThat(f.step("traffic", promoting)).isInstanceOf(Decision.Promoting.class);
  }

  private static HttpMatchRequest insider() {
    return new HttpMatchRequest(
        null,
        null,
        null,
        null,
        null,
        Map.of("x-canary", StringMatch.exact("insider")),
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void abTestingSendsMatchedTrafficToTheCanaryEachIteration() {
    CanaryAnalysis ab =
        new CanaryAnalysis(
            "10s",
            2,
            null,
            null,
            null,
            null,
            2,
            null,
            null,
            null,
            null,
            List.of(insider()),
            List.of(),
            List.of(),
            null,
            null);
    Tick t =
        withRoutes(
            f.tick(f.canary(spec("istio", ab), CanaryPhase.PROGRESSING, 0, 0, 0)),
            Routes.allPrimary());
    assertThat(f.step("traffic", t)).isEqualTo(new Decision.Iterated(1, 2, true));
    assertThat(f.routes()).isEqualTo(new Routes(0, 100, false));
  }
}
