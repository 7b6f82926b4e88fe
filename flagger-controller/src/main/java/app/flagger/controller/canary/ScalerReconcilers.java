package app.flagger.controller.canary;

import app.flagger.model.canary.AutoscalerReference;
import app.flagger.model.canary.Canary;
import java.util.Map;
import java.util.Set;

/**
 * The scaler reconciler of each {@code autoscalerRef.kind} (Flagger's {@code
 * Factory.ScalerReconciler}): {@code HorizontalPodAutoscaler} and {@code ScaledObject}. A Canary
 * without {@code autoscalerRef} has nothing to reconcile, pause or resume. A kind without a
 * reconciler fails the tick naming the field (the validator rejects such Canaries first), where
 * Flagger would log and go on without an autoscaler.
 */
public final class ScalerReconcilers implements ScalerReconciler {
  private final Map<String, ScalerReconciler> byKind;

  public ScalerReconcilers(HpaReconciler hpa, ScaledObjectReconciler scaledObjects) {
    this.byKind =
        Map.of("HorizontalPodAutoscaler", hpa, PrimaryScaledObjectBuilder.KIND, scaledObjects);
  }

  /** The kinds with a reconciler. */
  public Set<String> kinds() {
    return byKind.keySet();
  }

  @Override
  public void reconcilePrimaryScaler(Canary canary, boolean init) {
    ScalerReconciler r = of(canary);
    if (r != null) {
      r.reconcilePrimaryScaler(canary, init);
    }
  }

  @Override
  public void pauseTargetScaler(Canary canary) {
    ScalerReconciler r = of(canary);
    if (r != null) {
      r.pauseTargetScaler(canary);
    }
  }

  @Override
  public void resumeTargetScaler(Canary canary) {
    ScalerReconciler r = of(canary);
    if (r != null) {
      r.resumeTargetScaler(canary);
    }
  }

  @Override
  public int minReplicas(Canary canary) {
    ScalerReconciler r = of(canary);
    return r == null ? 0 : r.minReplicas(canary);
  }

  /** The reconciler of the Canary's autoscaler; null without {@code autoscalerRef}. */
  private ScalerReconciler of(Canary canary) {
    AutoscalerReference ref = canary.getSpec().autoscalerRef();
    if (ref == null) {
      return null;
    }
    ScalerReconciler r = byKind.get(ref.kind());
    if (r == null) {
      throw new TargetException(
          "spec.autoscalerRef.kind: unknown autoscaler kind '"
              + ref.kind()
              + "', expected one of "
              + String.join(", ", byKind.keySet().stream().sorted().toList()));
    }
    return r;
  }
}
