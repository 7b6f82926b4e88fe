package app.flagger.controller.canary;

import app.flagger.model.canary.Canary;
import java.util.Map;

/**
 * Manages a Canary's target and its {@code -primary} copy (Flagger's {@code canary.Controller}):
 * one implementation per target kind (a Deployment, a DaemonSet, or a Service, whose copies are
 * Services and whose workload operations are no-ops). Failures are {@link TargetException}s.
 */
public interface TargetController {
  /** The selector label, its value and the discovered ports. */
  TargetMetadata metadata(Canary canary);

  /**
   * Creates the primary (and its configs) when missing. Unless {@code skipReadiness}, then checks
   * that the primary is ready.
   */
  Readiness initialize(Canary canary, boolean skipReadiness);

  Readiness isPrimaryReady(Canary canary);

  Readiness isCanaryReady(Canary canary);

  /** Copies the target's pod template and configs (a Service target: its spec) to the primary. */
  void promote(Canary canary);

  /**
   * Whether the pod template (a Service target: its spec) differs from both the last applied and
   * last promoted spec.
   */
  boolean hasTargetChanged(Canary canary);

  /** Whether the tracked ConfigMaps/Secrets differ from the status. */
  boolean haveDependenciesChanged(Canary canary);

  void scaleToZero(Canary canary);

  void scaleFromZero(Canary canary);

  /** The hash of the target's current pod template (a Service target: its spec). */
  String targetHash(Canary canary);

  /** The checksums of the configs the target references. */
  Map<String, String> trackedConfigs(Canary canary);

  /**
   * Restores the target's replicas when the Canary is deleted with revertOnDeletion; returns the
   * target's readiness judged on the API server's answer to that write (the informer cache may not
   * have seen it yet).
   */
  Readiness finalize(Canary canary);

  /**
   * Creates the same-age baseline {@code <target>-baseline} afresh ({@code analysis.baseline}): any
   * baseline left is deleted first. Only Deployment targets have one.
   */
  default void startBaseline(Canary canary) {
    throw new TargetException(
        "analysis.baseline: a same-age baseline needs a Deployment target, not "
            + canary.getSpec().targetRef().kind());
  }

  /** Whether the baseline finished rolling out; a missing baseline is created (not ready yet). */
  default Readiness isBaselineReady(Canary canary) {
    return Readiness.READY;
  }

  /** Deletes {@code <target>-baseline} when present. */
  default void deleteBaseline(Canary canary) {}
}
