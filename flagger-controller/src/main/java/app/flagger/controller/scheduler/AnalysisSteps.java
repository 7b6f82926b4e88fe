package app.flagger.controller.scheduler;

import app.flagger.controller.canary.Readiness;
import app.flagger.controller.canary.TargetException;
import app.flagger.controller.metrics.MetricAnalysis;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.alert.AlertSeverity;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.DeploymentStrategy;
import java.time.Duration;
import java.util.Set;

/**
 * Steps 14 to 28 of a tick, for a Canary that should advance: readiness, routes, starting a run,
 * restarting on a new revision, skip-analysis, manual rollback, promotion, finalisation, the
 * failed-checks gate, the checks themselves and the strategy.
 */
final class AnalysisSteps {
  private static final Set<CanaryPhase> RUNNING =
      Set.of(
          CanaryPhase.PROGRESSING,
          CanaryPhase.WAITING_PROMOTION,
          CanaryPhase.PROMOTING,
          CanaryPhase.FINALISING);
  private static final Set<CanaryPhase> ANALYSING =
      Set.of(CanaryPhase.PROGRESSING, CanaryPhase.WAITING_PROMOTION);

  private final AdvancerDeps deps;
  private final Hooks hooks;
  private final Rollbacks rollbacks;
  private final Strategies strategies;

  AnalysisSteps(AdvancerDeps deps, Hooks hooks, Rollbacks rollbacks, Strategies strategies) {
    this.deps = deps;
    this.hooks = hooks;
    this.rollbacks = rollbacks;
    this.strategies = strategies;
  }

  void run(Tick t) {
    int maxWeight = t.analysis().maxWeightOrDefault();
    if (!checkPrimaryReady(t)) {
      return;
    }
    Routes routes = readRoutes(t);
    if (routes == null || !startRun(t) || restartOnNewRevision(t)) {
      return;
    }
    Readiness canary = checkCanaryReady(t);
    if (canary == null) {
      return;
    }
    if (t.skipAnalysis()) {
      rollbacks.skipAnalysis(t, canary);
      return;
    }
    if (manualRollback(t)) {
      return;
    }
    if (t.phase() == CanaryPhase.PROMOTING) {
      promoting(t, routes);
      return;
    }
    if (t.phase() == CanaryPhase.FINALISING) {
      rollbacks.finalise(t);
      return;
    }
    if (ANALYSING.contains(t.phase()) && t.failedChecks() >= t.analysis().thresholdOrDefault()) {
      rollbacks.rollback(t);
      return;
    }
    try {
      analyse(t, routes, maxWeight);
    } finally {
      deps.recorder()
          .setDuration(t.targetName(), t.ns(), Duration.between(t.begin, deps.clock().instant()));
    }
  }

  /** Step 15. */
  private boolean checkPrimaryReady(Tick t) {
    if (t.skipAnalysis()) {
      return true;
    }
    Readiness r = t.target.isPrimaryReady(t.canary);
    if (r instanceof Readiness.NotReady n) {
      deps.events().warn(t.canary, n.reason());
      if (!n.retriable()) {
        if (t.phase() == CanaryPhase.PROMOTING || t.phase() == CanaryPhase.FINALISING) {
          rollbacks.failedPromotion(t, n.reason());
        } else {
          rollbacks.rollback(t);
        }
      }
      return false;
    }
    return true;
  }

  /** Step 16. */
  private Routes readRoutes(Tick t) {
    try {
      Routes r = t.meshRouter.getRoutes(t.canary);
      deps.recorder().setWeight(t.targetName(), t.ns(), r.primaryWeight(), r.canaryWeight());
      return r;
    } catch (RouterException e) {
      deps.events().warn(t.canary, e.getMessage());
      return null;
    }
  }

  /** Step 17: a new revision waits for confirm-rollout, then the canary is scaled up. */
  private boolean startRun(Tick t) {
    if (RUNNING.contains(t.phase())) {
      return true;
    }
    if (!hooks.confirmRollout(t)) {
      return false;
    }
    deps.events()
        .info(
            t.canary,
            CanaryPhase.PROGRESSING,
            "New revision detected! Scaling up " + t.targetKey());
    deps.alerter()
        .alert(
            t.canary,
            "New revision detected, progressing canary analysis.",
            true,
            AlertSeverity.INFO);
    try {
      t.target.scaleFromZero(t.canary);
    } catch (TargetException e) {
      deps.events().error(t.canary, e.getMessage());
      return false;
    }
    t.canary = deps.status().syncStatus(t.canary, t.target, CanaryPhase.PROGRESSING, 0, 0, 0);
    deps.recorder().setStatus(t.targetName(), t.ns(), CanaryPhase.PROGRESSING);
    return false;
  }

  /** Step 18. */
  private boolean restartOnNewRevision(Tick t) {
    if (!ANALYSING.contains(t.phase())) {
      return false;
    }
    if (!t.target.hasTargetChanged(t.canary) && !t.target.haveDependenciesChanged(t.canary)) {
      return false;
    }
    deps.events().info(t.canary, "New revision detected! Restarting analysis for " + t.targetKey());
    if (rollbacks.setRoutes(t, Routes.allPrimary())) {
      t.canary = deps.status().syncStatus(t.canary, t.target, CanaryPhase.PROGRESSING, 0, 0, 0);
    }
    return true;
  }

  /** Step 19; null when the tick stops. */
  private Readiness checkCanaryReady(Tick t) {
    Readiness r = t.target.isCanaryReady(t.canary);
    if (r instanceof Readiness.NotReady n) {
      deps.events().warn(t.canary, n.reason());
      if (!n.retriable()) {
        rollbacks.rollback(t);
      }
      return null;
    }
    return r;
  }

  /** Step 21. */
  private boolean manualRollback(Tick t) {
    Set<CanaryPhase> phases =
        Set.of(CanaryPhase.PROGRESSING, CanaryPhase.WAITING, CanaryPhase.WAITING_PROMOTION);
    if (!phases.contains(t.phase()) || !hooks.manualRollback(t)) {
      return false;
    }
    deps.events().warn(t.canary, "Rolling back " + t.key() + " manual webhook invoked");
    deps.alerter()
        .alert(t.canary, "Rolling back manual webhook invoked", false, AlertSeverity.WARN);
    rollbacks.rollback(t);
    return true;
  }

  /** Step 22. */
  private void promoting(Tick t, Routes routes) {
    try {
      deps.hpa().reconcilePrimaryScaler(t.canary, false);
    } catch (TargetException e) {
      deps.events().warn(t.canary, e.getMessage());
      return;
    }
    strategies.promotionTrafficShift(t, routes);
  }

  /** Steps 26 to 28. */
  private void analyse(Tick t, Routes routes, int maxWeight) {
    boolean firstTick =
        t.canaryWeight() == 0
            && t.iterations() == 0
            && !(t.analysis().mirrored() && routes.mirrored());
    if (firstTick) {
      deps.events().info(t.canary, "Starting canary analysis for " + t.targetKey());
      if (!hooks.preRollout(t)) {
        return;
      }
    } else if (!runChecks(t)) {
      return;
    }
    dispatch(t, routes, maxWeight);
  }

  private boolean runChecks(Tick t) {
    if (!hooks.rollout(t)) {
      return false;
    }
    MetricAnalysis.Result result = deps.metricAnalysis().run(t.canary);
    result
        .values()
        .forEach(v -> deps.recorder().setAnalysis(t.targetName(), t.ns(), v.metric(), v.value()));
    if (result.failure().isPresent()) {
      t.canary = deps.status().setFailedChecks(t.canary, t.failedChecks() + 1);
      deps.events().warn(t.canary, result.failure().get());
      return false;
    }
    return true;
  }

  private void dispatch(Tick t, Routes routes, int maxWeight) {
    CanaryAnalysis a = t.analysis();
    int iterations = a.iterationsOrZero();
    DeploymentStrategy strategy = t.canary.getSpec().strategy();
    if (t.kubernetesProvider()) {
      if (!a.matchOrEmpty().isEmpty()) {
        deps.events()
            .warn(t.canary, "A/B testing is not supported when using the kubernetes provider");
        strategy = DeploymentStrategy.BLUE_GREEN;
      }
      if (iterations < 1) {
        deps.events()
            .warn(
                t.canary,
                "Progressive traffic is not supported when using the kubernetes provider");
        deps.events().warn(t.canary, "Setting canaryAnalysis.iterations: 10");
        iterations = 10;
      }
      strategy = DeploymentStrategy.BLUE_GREEN;
    }
    switch (strategy) {
      case AB_TESTING -> strategies.runAB(t, iterations);
      case BLUE_GREEN -> strategies.runBlueGreen(t, routes, iterations);
      case CANARY -> runCanary(t, routes, maxWeight);
    }
  }

  private void runCanary(Tick t, Routes routes, int maxWeight) {
    if (Strategies.nextStepWeight(t.analysis(), t.canaryWeight()) <= 0) {
      return;
    }
    boolean gated =
        !routes.mirrored()
            && !Set.of(CanaryPhase.PROMOTING, CanaryPhase.WAITING_PROMOTION, CanaryPhase.FINALISING)
                .contains(t.phase());
    if (gated && !hooks.confirmTrafficIncrease(t)) {
      return;
    }
    strategies.runCanary(t, routes, maxWeight);
  }
}
