package app.flagger.controller.scheduler;

import app.flagger.controller.canary.Readiness;
import app.flagger.controller.canary.TargetException;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.alert.AlertSeverity;
import app.flagger.model.canary.CanaryPhase;

/**
 * The ends of a run (Flagger's {@code rollback}, {@code handleFailedPromotion}, the Finalising step
 * and {@code shouldSkipAnalysis}): traffic back, target scaled down, final status, metrics and
 * post-rollout hooks.
 */
final class Rollbacks {
  private final AdvancerDeps deps;
  private final Hooks hooks;

  Rollbacks(AdvancerDeps deps, Hooks hooks) {
    this.deps = deps;
    this.hooks = hooks;
  }

  /** Rolls back to the primary: routes, scale down, phase Failed, post-rollout hooks. */
  void rollback(Tick t) {
    if (t.failedChecks() >= t.analysis().thresholdOrDefault()) {
      deps.events()
          .warn(
              t.canary,
              "Rolling back " + t.key() + " failed checks threshold reached " + t.failedChecks());
      deps.alerter()
          .alert(
              t.canary,
              "Failed checks threshold reached " + t.failedChecks(),
              false,
              AlertSeverity.ERROR);
    }
    if (!setRoutes(t, Routes.allPrimary())) {
      return;
    }
    deps.events().warn(t.canary, CanaryPhase.FAILED, "Canary failed! Scaling down " + t.key());
    try {
      t.target.scaleToZero(t.canary);
    } catch (TargetException e) {
      deps.events().warn(t.canary, e.getMessage());
      return;
    }
    t.canary = deps.status().syncStatus(t.canary, t.target, CanaryPhase.FAILED, 0, 0, 0);
    deps.recorder().setStatus(t.targetName(), t.ns(), CanaryPhase.FAILED);
    deps.recorder().incFailures(t.targetName(), t.ns(), t.canary.getSpec().strategy());
    hooks.postRollout(t, CanaryPhase.FAILED);
  }

  /** The primary cannot become ready during promotion: keep all traffic on the canary. */
  void failedPromotion(Tick t, String reason) {
    deps.events()
        .warn(t.canary, "Promotion of " + t.key() + " failed, primary not ready: " + reason);
    deps.alerter()
        .alert(
            t.canary, "Promotion failed, primary not ready: " + reason, false, AlertSeverity.ERROR);
    if (!setRoutes(t, new Routes(0, 100, false))) {
      return;
    }
    t.canary =
        deps.status()
            .syncStatus(
                t.canary, t.target, CanaryPhase.FAILED, 100, t.failedChecks(), t.iterations());
    deps.recorder().setStatus(t.targetName(), t.ns(), CanaryPhase.FAILED);
    deps.recorder().incFailures(t.targetName(), t.ns(), t.canary.getSpec().strategy());
    hooks.postRollout(t, CanaryPhase.FAILED);
  }

  /** Finalising: scale the canary to zero and mark the run Succeeded. */
  void finalise(Tick t) {
    try {
      t.target.scaleToZero(t.canary);
    } catch (TargetException e) {
      deps.events().warn(t.canary, e.getMessage());
      return;
    }
    t.canary = deps.status().setPhase(t.canary, CanaryPhase.SUCCEEDED);
    deps.recorder().setStatus(t.targetName(), t.ns(), CanaryPhase.SUCCEEDED);
    deps.recorder().incSuccesses(t.targetName(), t.ns(), t.canary.getSpec().strategy(), false);
    hooks.postRollout(t, CanaryPhase.SUCCEEDED);
    deps.events().info(t.canary, "Promotion completed! Scaling down " + t.targetKey());
    deps.alerter()
        .alert(
            t.canary,
            "Canary analysis completed successfully, promotion finished.",
            false,
            AlertSeverity.INFO);
  }

  /** skipAnalysis: promote at once when the canary is ready. */
  void skipAnalysis(Tick t, Readiness canaryReadiness) {
    if (canaryReadiness instanceof Readiness.NotReady n && !n.retriable()) {
      deps.events()
          .warn(t.canary, "Rolling back " + t.key() + " progress deadline exceeded " + n.reason());
      deps.alerter()
          .alert(t.canary, "Progress deadline exceeded " + n.reason(), false, AlertSeverity.ERROR);
      rollback(t);
      return;
    }
    if (!setRoutes(t, Routes.allPrimary())) {
      return;
    }
    deps.events()
        .info(
            t.canary,
            "Copying "
                + t.targetKey()
                + " template spec to "
                + t.targetName()
                + "-primary."
                + t.ns());
    try {
      t.target.promote(t.canary);
      deps.hpa().reconcilePrimaryScaler(t.canary, false);
      t.target.scaleToZero(t.canary);
    } catch (TargetException e) {
      deps.events().warn(t.canary, e.getMessage());
      return;
    }
    t.canary = deps.status().setPhase(t.canary, CanaryPhase.SUCCEEDED);
    deps.recorder().setStatus(t.targetName(), t.ns(), CanaryPhase.SUCCEEDED);
    deps.recorder().incSuccesses(t.targetName(), t.ns(), t.canary.getSpec().strategy(), true);
    hooks.postRollout(t, CanaryPhase.SUCCEEDED);
    deps.events()
        .info(t.canary, "Promotion completed! Canary analysis was skipped for " + t.targetKey());
    deps.alerter()
        .alert(
            t.canary,
            "Canary analysis was skipped, promotion finished.",
            false,
            AlertSeverity.INFO);
  }

  /** Applies a split and publishes it; false (with a Warning event) when the router fails. */
  boolean setRoutes(Tick t, Routes routes) {
    try {
      t.meshRouter.setRoutes(t.canary, routes);
    } catch (RouterException e) {
      deps.events().warn(t.canary, e.getMessage());
      return false;
    }
    deps.recorder()
        .setWeight(t.targetName(), t.ns(), routes.primaryWeight(), routes.canaryWeight());
    return true;
  }
}
