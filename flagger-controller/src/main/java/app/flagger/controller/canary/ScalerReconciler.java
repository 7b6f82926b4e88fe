package app.flagger.controller.canary;

import app.flagger.model.canary.Canary;

/**
 * Keeps the primary's autoscaler in step with the target's (Flagger's {@code ScalerReconciler}).
 * Failures are {@link TargetException}s.
 */
public interface ScalerReconciler {
  /** Creates the primary's autoscaler when missing; with {@code init == false} also updates it. */
  void reconcilePrimaryScaler(Canary canary, boolean init);

  /**
   * Stops the target's autoscaler from scaling the target up while it is meant to run no pods (a
   * no-op for an HPA, which Flagger leaves alone).
   */
  default void pauseTargetScaler(Canary canary) {}

  /** Lets the target's autoscaler scale the target again. */
  default void resumeTargetScaler(Canary canary) {}

  /** The minimum replicas of the target's autoscaler, or 0 when it has none or cannot be read. */
  default int minReplicas(Canary canary) {
    return 0;
  }
}
