package app.flagger.controller.tick;

import app.flagger.controller.canary.ScalerReconciler;
import app.flagger.controller.events.CanaryEvents;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.CanaryPhase;

/**
 * "promotion" (phase Promoting, Flagger's {@code runPromotionTrafficShift}): the primary's
 * autoscaler follows the target's, then traffic goes back to the primary, at once or one {@code
 * stepWeightPromotion} per tick.
 */
final class ShiftTrafficToPrimary implements Step {
  private final ScalerReconciler scaler;
  private final Traffic traffic;
  private final CanaryEvents events;

  ShiftTrafficToPrimary(ScalerReconciler scaler, Traffic traffic, CanaryEvents events) {
    this.scaler = scaler;
    this.traffic = traffic;
    this.events = events;
  }

  @Override
  public Decision run(Tick t) {
    if (t.phase() != CanaryPhase.PROMOTING) {
      return Decision.CONTINUE;
    }
    scaler.reconcilePrimaryScaler(t.canary(), false);
    if (t.kubernetesProvider()) {
      return new Decision.Finalising();
    }
    int step = t.analysis().stepWeightPromotionOrZero();
    if (step == 0) {
      events.info(t.canary(), "Routing all traffic to primary");
      traffic.route(t, Routes.allPrimary());
      return new Decision.Finalising();
    }
    Routes routes = t.routes();
    if (routes.canaryWeight() == 0) {
      return Decision.DONE;
    }
    int primary = Math.min(100, routes.primaryWeight() + step);
    int canary = 100 - primary;
    traffic.route(t, new Routes(primary, canary, false));
    return new Decision.PromotionShifted(primary, canary);
  }
}
