package app.flagger.controller.tick;

import static app.flagger.controller.support.CanaryFixture.analysis;
import static app.flagger.controller.support.CanaryFixture.hook;
import static app.flagger.controller.support.CanaryFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.canary.Readiness;
import app.flagger.controller.leader.NotLeaderException;
import app.flagger.controller.router.MeshRouter;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Whole ticks on fakes: Flagger's order, events, writes and alerts, with no API server. */
class CanaryTickTest {
  private final TickFixture f = new TickFixture();

  private static CanarySpec canarySpec() {
    return spec(
        "istio",
        analysis(
            10,
            null,
            null,
            2,
            List.of(
                hook("pre", "pre-rollout", "http://hooks/pre"),
                hook("check", "rollout", "http://hooks/check"),
                hook("post", "post-rollout", "http://hooks/post"))));
  }

  @Test
  void theStepsAreTheOnesDocumentedInHowItWorks() throws IOException {
    List<String> names = f.tick.steps().stream().map(CanaryTick.Named::name).toList();
    assertThat(names).isEqualTo(documentedSteps());
  }

  /** A new Canary: services, primary, autoscaler, apex, target scaled down, Initialized. */
  @Test
  void initializesANewCanaryInFlaggersOrder() {
    Decision d = f.run(f.canary(canarySpec(), CanaryPhase.INITIALIZING, 0, 0, 0));

    assertThat(d).isInstanceOf(Decision.Initialized.class);
    assertThat(f.target.calls()).containsExactly("metadata", "initialize+ready", "scaleToZero");
    assertThat(f.kubeRouter.calls()).containsExactly("initialize", "reconcile");
    assertThat(f.scaler).containsExactly("primary scaler true");
    assertThat(f.status.writes()).containsExactly("syncStatus Initialized 0/0/0");
    assertThat(f.events.messages())
        .containsExactly(
            "all the metrics providers are available!", "Initialization done! " + f.key());
    assertThat(f.alerts.alerts())
        .containsExactly("info New Deployment detected, initialization completed.");
    assertThat(f.statusGauge()).isEqualTo(CanaryPhase.INITIALIZED.statusMetricValue());
  }

  @Test
  void aPrimaryNotReadyWhileInitializingWaitsWithTheReason() {
    f.target.primary = new Readiness.NotReady(true, "podinfo-primary not ready");

    Decision d = f.run(f.canary(canarySpec(), CanaryPhase.INITIALIZING, 0, 0, 0));

    assertThat(d).isEqualTo(new Decision.Wait("podinfo-primary not ready"));
    assertThat(f.status.writes()).isEmpty();
    assertThat(f.events.messages()).endsWith("podinfo-primary not ready");
  }

  @Test
  void anIdleCanaryOnlyRefreshesItsPhaseGauge() {
    Decision d = f.run(f.canary(canarySpec(), CanaryPhase.SUCCEEDED, 0, 0, 0));

    assertThat(d).isInstanceOf(Decision.Idle.class);
    assertThat(f.status.writes()).isEmpty();
    assertThat(f.events.messages()).isEmpty();
    assertThat(f.statusGauge()).isEqualTo(CanaryPhase.SUCCEEDED.statusMetricValue());
  }

  /** A new revision waits on its confirm-rollout gate, once approved the canary is scaled up. */
  @Test
  void aNewRevisionWaitsForApprovalThenStarts() {
    CanarySpec s =
        spec(
            "istio",
            analysis(10, null, null, 2, List.of(hook("gate", "confirm-rollout", "http://gate"))));
    f.target.targetChanged = true;
    f.hooks.failing("http://gate", "closed");

    // tick 1: the gate is closed
    Decision closed = f.run(f.canary(s, CanaryPhase.SUCCEEDED, 0, 0, 0));
    assertThat(closed).isEqualTo(new Decision.AwaitApproval(Decision.Gate.ROLLOUT, "gate", false));
    assertThat(f.status.writes()).containsExactly("setPhase Waiting");
    assertThat(f.events.messages())
        .containsExactly("Halt " + f.key() + " advancement waiting for approval gate");
    assertThat(f.alerts.alerts()).containsExactly("warn Canary is waiting for approval.");

    // tick 2: approved
    f.hooks.passing("http://gate");
    Decision started = f.run(f.canary(s, CanaryPhase.WAITING, 0, 0, 0));
    assertThat(started).isInstanceOf(Decision.Started.class);
    assertThat(f.target.calls()).endsWith("scaleFromZero");
    assertThat(f.status.writes()).endsWith("syncStatus Progressing 0/0/0");
    assertThat(f.events.messages())
        .endsWith(
            "Confirm-rollout check gate passed",
            "New revision detected! Scaling up podinfo." + f.ns);
    assertThat(f.statusGauge()).isEqualTo(CanaryPhase.PROGRESSING.statusMetricValue());
  }

  /** The first analysis tick runs the pre-rollout hooks and moves traffic in the same tick. */
  @Test
  void theFirstAnalysisTickRunsPreRolloutHooksThenAdvances() {
    Decision d = f.run(f.canary(canarySpec(), CanaryPhase.PROGRESSING, 0, 0, 0));

    assertThat(d).isEqualTo(new Decision.Advanced(10));
    assertThat(f.hooks.calls()).containsExactly("http://hooks/pre");
    assertThat(f.routes()).isEqualTo(new Routes(90, 10, false));
    assertThat(f.status.writes()).containsExactly("setWeight 10");
    assertThat(f.events.messages())
        .containsExactly(
            "Starting canary analysis for podinfo." + f.ns,
            "Pre-rollout check pre passed",
            "Advance " + f.key() + " canary weight 10");
    assertThat(f.weightGauge("podinfo")).isEqualTo(10);
    assertThat(f.weightGauge("podinfo-primary")).isEqualTo(90);
  }

  @Test
  void aFailedMetricCheckHaltsAndCountsAFailedCheck() {
    f.setRoutes(new Routes(90, 10, false));
    f.metricFailure = Optional.of("Halt podinfo advancement success rate 90.00% < 99%");

    Decision d = f.run(f.canary(canarySpec(), CanaryPhase.PROGRESSING, 10, 0, 0));

    assertThat(d).isEqualTo(new Decision.Halt(f.metricFailure.get()));
    assertThat(f.hooks.calls()).containsExactly("http://hooks/check");
    assertThat(f.status.writes()).containsExactly("setFailedChecks 1");
    assertThat(f.events.messages()).containsExactly(f.metricFailure.get());
    assertThat(f.routes()).isEqualTo(new Routes(90, 10, false));
  }

  @Test
  void aFailedRolloutHookHaltsBeforeTheMetricChecks() {
    f.setRoutes(new Routes(90, 10, false));
    f.hooks.failing("http://hooks/check", "500 Internal Server Error");
    f.metricFailure = Optional.of("never asked");

    Decision d = f.run(f.canary(canarySpec(), CanaryPhase.PROGRESSING, 10, 1, 0));

    assertThat(d)
        .isEqualTo(
            new Decision.Halt(
                "Halt "
                    + f.key()
                    + " advancement external check check failed 500 Internal Server Error"));
    assertThat(f.status.writes()).containsExactly("setFailedChecks 2");
  }

  /** failedChecks at the threshold: traffic back, target scaled down, Failed, post-rollout. */
  @Test
  void reachingTheThresholdRollsBack() {
    f.setRoutes(new Routes(80, 20, false));

    Decision d = f.run(f.canary(canarySpec(), CanaryPhase.PROGRESSING, 20, 2, 0));

    assertThat(d).isEqualTo(new Decision.Rollback(Decision.Cause.FAILED_CHECKS, ""));
    assertThat(f.routes()).isEqualTo(Routes.allPrimary());
    assertThat(f.target.calls()).endsWith("scaleToZero");
    assertThat(f.status.writes()).containsExactly("syncStatus Failed 0/0/0");
    assertThat(f.hooks.calls()).containsExactly("http://hooks/post");
    assertThat(f.events.all())
        .extracting(Object::toString)
        .containsExactly(
            "Progressing Warning Rolling back " + f.key() + " failed checks threshold reached 2",
            "Failed Warning Canary failed! Scaling down " + f.key(),
            "Failed Normal Post-rollout check post passed");
    assertThat(f.alerts.alerts()).containsExactly("error Failed checks threshold reached 2");
    assertThat(f.statusGauge()).isEqualTo(CanaryPhase.FAILED.statusMetricValue());
  }

  @Test
  void aCanaryPastItsDeadlineRollsBackWithTheReason() {
    f.target.canary = new Readiness.NotReady(false, "canary deployment podinfo progress deadline");

    Decision d = f.run(f.canary(canarySpec(), CanaryPhase.PROGRESSING, 10, 0, 0));

    assertThat(d)
        .isEqualTo(
            new Decision.Rollback(
                Decision.Cause.NOT_READY, "canary deployment podinfo progress deadline"));
    assertThat(f.events.messages())
        .startsWith("canary deployment podinfo progress deadline")
        .contains("Canary failed! Scaling down " + f.key());
  }

  /** At maxWeight the target's spec is copied to the primary: phase Promoting. */
  @Test
  void atMaxWeightTheCanaryIsPromoted() {
    f.setRoutes(new Routes(0, 100, false));

    Decision d = f.run(f.canary(canarySpec(), CanaryPhase.PROGRESSING, 100, 0, 0));

    assertThat(d).isInstanceOf(Decision.Promoting.class);
    assertThat(f.target.calls()).endsWith("promote");
    assertThat(f.status.writes()).containsExactly("setPhase Promoting");
    assertThat(f.events.messages())
        .containsExactly("Copying podinfo." + f.ns + " template spec to podinfo-primary." + f.ns);
    assertThat(f.statusGauge()).isEqualTo(CanaryPhase.PROMOTING.statusMetricValue());
  }

  @Test
  void promotingRoutesAllTrafficToThePrimaryThenFinalises() {
    f.setRoutes(new Routes(0, 100, false));

    Decision d = f.run(f.canary(canarySpec(), CanaryPhase.PROMOTING, 100, 0, 0));

    assertThat(d).isInstanceOf(Decision.Finalising.class);
    assertThat(f.scaler).containsExactly("primary scaler true", "primary scaler false");
    assertThat(f.routes()).isEqualTo(Routes.allPrimary());
    assertThat(f.status.writes()).containsExactly("setPhase Finalising");
    assertThat(f.statusGauge()).isEqualTo(CanaryPhase.FINALISING.statusMetricValue());
  }

  @Test
  void finalisingScalesTheCanaryDownAndSucceeds() {
    Decision d = f.run(f.canary(canarySpec(), CanaryPhase.FINALISING, 0, 0, 0));

    assertThat(d).isEqualTo(new Decision.Succeeded(false));
    assertThat(f.target.calls()).endsWith("scaleToZero");
    assertThat(f.status.writes()).containsExactly("setPhase Succeeded");
    assertThat(f.hooks.calls()).containsExactly("http://hooks/post");
    assertThat(f.events.messages())
        .containsExactly(
            "Post-rollout check post passed", "Promotion completed! Scaling down podinfo." + f.ns);
    assertThat(f.alerts.alerts())
        .containsExactly("info Canary analysis completed successfully, promotion finished.");
  }

  @Test
  void aPrimaryPastItsDeadlineWhilePromotingKeepsTrafficOnTheCanary() {
    f.setRoutes(new Routes(0, 100, false));
    f.target.primary = new Readiness.NotReady(false, "primary stuck");

    Decision d = f.run(f.canary(canarySpec(), CanaryPhase.PROMOTING, 100, 0, 0));

    assertThat(d).isEqualTo(new Decision.PromotionFailed("primary stuck"));
    assertThat(f.routes()).isEqualTo(new Routes(0, 100, false));
    assertThat(f.status.writes()).containsExactly("syncStatus Failed 100/0/0");
    assertThat(f.events.messages())
        .startsWith(
            "primary stuck",
            "Promotion of " + f.key() + " failed, primary not ready: primary stuck");
  }

  @Test
  void aRouterFailureEndsTheTickWithAWarningAndNoWrite() {
    MeshRouter broken =
        new MeshRouter() {
          @Override
          public void reconcile(Canary canary) {}

          @Override
          public void setRoutes(Canary canary, Routes routes) {}

          @Override
          public Routes getRoutes(Canary canary) {
            throw new RouterException("VirtualService podinfo.ns query error: boom");
          }

          @Override
          public void finalize(Canary canary) {}
        };

    Decision d =
        f.tick.run(f.tick(f.canary(canarySpec(), CanaryPhase.PROGRESSING, 10, 0, 0), broken));

    assertThat(d).isEqualTo(new Decision.Wait("VirtualService podinfo.ns query error: boom"));
    assertThat(f.status.writes()).isEmpty();
    assertThat(f.events.messages()).containsExactly("VirtualService podinfo.ns query error: boom");
  }

  /** After the Lease is lost the fence refuses writes: the tick stops without a Warning. */
  @Test
  void aWriteRefusedAsNotLeaderEndsTheTickQuietly() {
    MeshRouter fenced =
        new MeshRouter() {
          @Override
          public void reconcile(Canary canary) {
            throw new NotLeaderException("PUT", "/apis/networking.istio.io/v1/virtualservices");
          }

          @Override
          public void setRoutes(Canary canary, Routes routes) {}

          @Override
          public Routes getRoutes(Canary canary) {
            return Routes.allPrimary();
          }

          @Override
          public void finalize(Canary canary) {}
        };

    Decision d =
        f.tick.run(f.tick(f.canary(canarySpec(), CanaryPhase.PROGRESSING, 10, 0, 0), fenced));

    assertThat(d).isEqualTo(Decision.DONE);
    assertThat(f.events.messages()).isEmpty();
    assertThat(f.status.writes()).isEmpty();
  }

  @Test
  void aSuspendedCanaryIsSkipped() {
    Decision d =
        f.run(
            f.canary(
                CanaryFixture.with(canarySpec(), null, null, true),
                CanaryPhase.PROGRESSING,
                0,
                0,
                0));

    assertThat(d).isInstanceOf(Decision.Suspended.class);
    assertThat(f.target.calls()).isEmpty();
    assertThat(f.events.messages()).containsExactly("skipping canary run as object is suspended");
  }

  /** The kubernetes provider runs blue/green: 10 iterations by default, said every tick. */
  @Test
  void theKubernetesProviderRunsBlueGreenWithTenIterations() {
    CanarySpec s = spec("kubernetes", analysis(10, null, null, 2, List.of()));

    Decision d = f.run(f.canary(s, CanaryPhase.PROGRESSING, 0, 0, 1));

    assertThat(d).isEqualTo(new Decision.Iterated(2, 10, true));
    assertThat(f.status.writes()).containsExactly("setIterations 2");
    assertThat(f.events.messages())
        .containsExactly(
            "Progressive traffic is not supported when using the kubernetes provider",
            "Setting canaryAnalysis.iterations: 10",
            "Advance " + f.key() + " canary iteration 2/10");
  }

  @Test
  void aRollbackHookAnsweringYesRollsBack() {
    CanarySpec s =
        spec(
            "istio", analysis(10, null, null, 5, List.of(hook("undo", "rollback", "http://undo"))));

    Decision d = f.run(f.canary(s, CanaryPhase.PROGRESSING, 10, 0, 0));

    assertThat(d).isEqualTo(new Decision.Rollback(Decision.Cause.MANUAL, ""));
    assertThat(f.events.messages())
        .startsWith(
            "Rollback check undo passed", "Rolling back " + f.key() + " manual webhook invoked");
    assertThat(f.alerts.alerts()).containsExactly("warn Rolling back manual webhook invoked");
    assertThat(f.status.writes()).containsExactly("syncStatus Failed 0/0/0");
  }

  @Test
  void skipAnalysisPromotesAtOnce() {
    CanarySpec s = CanaryFixture.with(canarySpec(), true, null, null);
    f.target.targetChanged = true;

    // tick 1: the new revision starts
    assertThat(f.run(f.canary(s, CanaryPhase.SUCCEEDED, 0, 0, 0)))
        .isInstanceOf(Decision.Started.class);
    // tick 2: promoted without analysis
    f.target.targetChanged = false;
    Decision d = f.run(f.canary(s, CanaryPhase.PROGRESSING, 0, 0, 0));

    assertThat(d).isEqualTo(new Decision.Succeeded(true));
    assertThat(f.target.calls()).endsWith("promote", "scaleToZero");
    assertThat(f.status.writes()).endsWith("setPhase Succeeded");
    assertThat(f.events.messages())
        .endsWith("Promotion completed! Canary analysis was skipped for podinfo." + f.ns);
  }

  @Test
  void anotherRevisionDuringTheAnalysisRestartsIt() {
    f.setRoutes(new Routes(70, 30, false));
    f.target.targetChanged = true;

    Decision d = f.run(f.canary(canarySpec(), CanaryPhase.PROGRESSING, 30, 1, 0));

    assertThat(d).isInstanceOf(Decision.Restarted.class);
    assertThat(f.routes()).isEqualTo(Routes.allPrimary());
    assertThat(f.status.writes()).containsExactly("syncStatus Progressing 0/0/0");
    assertThat(f.events.messages())
        .containsExactly("New revision detected! Restarting analysis for podinfo." + f.ns);
  }

  /** The "One tick" table of how-it-works.md, first column. */
  private static List<String> documentedSteps() throws IOException {
    Path doc = repoRoot().resolve("docs/usage/how-it-works.md");
    List<String> steps = new ArrayList<>();
    boolean inTable = false;
    for (String line : Files.readAllLines(doc)) {
      if (line.startsWith("## ")) {
        inTable = line.equals("## One tick");
        continue;
      }
      if (inTable && line.startsWith("| ") && !line.startsWith("| Step")) {
        String name = line.substring(2, line.indexOf(" |", 2)).trim();
        steps.add(name.replace("`", ""));
      }
    }
    return steps;
  }

  private static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("docs/usage/how-it-works.md"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new AssertionError(
          "no docs/usage/how-it-works.md above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
