package app.flagger.controller.scheduler;

import app.flagger.controller.canary.TargetException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryPhase;
import java.util.List;
import java.util.logging.Logger;

/**
 * How traffic moves once the checks passed (Flagger's {@code runCanary}, {@code runBlueGreen},
 * {@code runAB}, {@code runPromotionTrafficShift} and {@code nextStepWeight}).
 */
final class Strategies {
  private static final Logger LOG = Logger.getLogger(Strategies.class.getName());

  private final AdvancerDeps deps;
  private final Hooks hooks;
  private final Rollbacks rollbacks;

  Strategies(AdvancerDeps deps, Hooks hooks, Rollbacks rollbacks) {
    this.deps = deps;
    this.hooks = hooks;
    this.rollbacks = rollbacks;
  }

  /** Weighted canary: one step up per tick until maxWeight, then promotion. */
  void runCanary(Tick t, Routes routes, int maxWeight) {
    int step = nextStepWeight(t.analysis(), t.canaryWeight());
    int primary = routes.primaryWeight();
    int canary = routes.canaryWeight();
    if (canary < maxWeight) {
      boolean mirrored = false;
      if (t.analysis().mirrored() && canary == 0) {
        if (!routes.mirrored()) {
          mirrored = true;
        } else {
          primary = 100 - step;
          canary = step;
        }
        LOG.fine("Running mirror step " + primary + "/" + canary + "/" + mirrored);
      } else {
        primary = Math.max(0, primary - step);
        canary = Math.min(100, canary + step);
      }
      if (!rollbacks.setRoutes(t, new Routes(primary, canary, mirrored))) {
        return;
      }
      t.canary = deps.status().setWeight(t.canary, canary);
      deps.events().info(t.canary, "Advance " + t.key() + " canary weight " + canary);
      return;
    }
    promote(t);
  }

  /** Blue/green: count iterations, then route to the canary, then promote. */
  void runBlueGreen(Tick t, Routes routes, int iterations) {
    CanaryAnalysis a = t.analysis();
    if (iterations > t.iterations()) {
      if (!t.kubernetesProvider() && a.mirrored() && !routes.mirrored()) {
        if (!rollbacks.setRoutes(t, new Routes(100, 0, true))) {
          return;
        }
        LOG.fine("Start traffic mirroring");
      }
      t.canary = deps.status().setIterations(t.canary, t.iterations() + 1);
      deps.events()
          .info(
              t.canary,
              "Advance " + t.key() + " canary iteration " + t.iterations() + "/" + iterations);
      return;
    }
    if (!hooks.confirmPromotion(t)) {
      return;
    }
    if (iterations == t.iterations()) {
      if (!t.kubernetesProvider()) {
        deps.events()
            .info(
                t.canary,
                a.mirrored()
                    ? "Stop traffic mirroring and route all traffic to canary"
                    : "Routing all traffic to canary");
        if (!rollbacks.setRoutes(t, new Routes(0, 100, false))) {
          return;
        }
      }
      t.canary = deps.status().setIterations(t.canary, t.iterations() + 1);
      return;
    }
    copyAndPromote(t);
  }

  /** A/B testing: matched traffic on the canary for each iteration, then promote. */
  void runAB(Tick t, int iterations) {
    if (iterations > t.iterations()) {
      if (!rollbacks.setRoutes(t, new Routes(0, 100, false))) {
        return;
      }
      t.canary = deps.status().setIterations(t.canary, t.iterations() + 1);
      deps.events()
          .info(
              t.canary,
              "Advance " + t.key() + " canary iteration " + t.iterations() + "/" + iterations);
      return;
    }
    if (!hooks.confirmPromotion(t)) {
      return;
    }
    if (iterations == t.iterations()) {
      copyAndPromote(t);
    }
  }

  /** Promoting: shift traffic back to the primary, one {@code stepWeightPromotion} at a time. */
  void promotionTrafficShift(Tick t, Routes routes) {
    if (t.kubernetesProvider()) {
      t.canary = deps.status().setPhase(t.canary, CanaryPhase.FINALISING);
      return;
    }
    int step = t.analysis().stepWeightPromotionOrZero();
    if (step == 0) {
      deps.events().info(t.canary, "Routing all traffic to primary");
      if (rollbacks.setRoutes(t, Routes.allPrimary())) {
        t.canary = deps.status().setPhase(t.canary, CanaryPhase.FINALISING);
      }
      return;
    }
    if (routes.canaryWeight() > 0) {
      int primary = Math.min(100, routes.primaryWeight() + step);
      int canary = Math.max(0, routes.canaryWeight() - step);
      if (primary + canary != 100) {
        canary = 100 - primary;
      }
      if (!rollbacks.setRoutes(t, new Routes(primary, canary, false))) {
        return;
      }
      deps.events().info(t.canary, "Advance " + t.key() + " primary weight " + primary);
      t.canary =
          primary == 100
              ? deps.status().setPhase(t.canary, CanaryPhase.FINALISING)
              : deps.status().setWeight(t.canary, canary);
    }
  }

  private void promote(Tick t) {
    if (hooks.confirmPromotion(t)) {
      copyAndPromote(t);
    }
  }

  private void copyAndPromote(Tick t) {
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
    } catch (TargetException e) {
      deps.events().warn(t.canary, e.getMessage());
      return;
    }
    t.canary = deps.status().setPhase(t.canary, CanaryPhase.PROMOTING);
  }

  /** Flagger's {@code nextStepWeight}. */
  static int nextStepWeight(CanaryAnalysis a, int canaryWeight) {
    if (a.stepWeightOrZero() > 0 || a.stepWeightsOrEmpty().isEmpty()) {
      return a.stepWeightOrZero();
    }
    List<Integer> steps = a.stepWeightsOrEmpty();
    int maxStep = 100 - canaryWeight;
    if (maxStep == 0) {
      return 1;
    }
    if (canaryWeight == 0) {
      return Math.min(maxStep, steps.get(0));
    }
    for (int i = 0; i < steps.size() - 1; i++) {
      if (canaryWeight == steps.get(i)) {
        return Math.min(maxStep, steps.get(i + 1) - canaryWeight);
      }
    }
    return maxStep;
  }
}
