package app.flagger.controller.canary;

import app.flagger.model.canary.Canary;

/**
 * Keeps the primary's autoscaler in step with the target's (Flagger's {@code ScalerReconciler}).
 * Failures are {@link TargetException}s.
 */
public interface ScalerReconciler {
  /** Creates the primary's autoscaler when missing; with {@code init == false} also updates it. */
  void reconcilePrimaryScaler(Canary canary, boolean init);
}
