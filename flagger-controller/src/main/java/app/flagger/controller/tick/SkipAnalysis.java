package app.flagger.controller.tick;

import app.flagger.controller.canary.ScalerReconciler;
import app.flagger.controller.router.Routes;

/**
 * "skip analysis" ({@code skipAnalysis: true}): once the canary is ready it is promoted at once:
 * traffic to the primary, the spec copied, the canary scaled down.
 */
final class SkipAnalysis implements Step {
  private final Traffic traffic;
  private final Promotion promotion;
  private final ScalerReconciler scaler;

  SkipAnalysis(Traffic traffic, Promotion promotion, ScalerReconciler scaler) {
    this.traffic = traffic;
    this.promotion = promotion;
    this.scaler = scaler;
  }

  @Override
  public Decision run(Tick t) {
    if (!t.skipAnalysis()) {
      return Decision.CONTINUE;
    }
    traffic.route(t, Routes.allPrimary());
    promotion.copy(t);
    scaler.reconcilePrimaryScaler(t.canary(), false);
    t.target().scaleToZero(t.canary());
    return new Decision.Succeeded(true);
  }
}
