package app.flagger.controller.scheduler;

import app.flagger.controller.canary.Readiness;
import app.flagger.controller.canary.TargetException;
import app.flagger.controller.router.RouterException;
import app.flagger.model.alert.AlertSeverity;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.provider.MeshProvider;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Steps 3 to 12 of a tick: services, metric providers, the primary workload and autoscaler, the
 * apex service, scaling the target down and the mesh objects; then phase Initialized.
 */
final class Initializer {
  private static final Logger LOG = Logger.getLogger(Initializer.class.getName());

  private final AdvancerDeps deps;
  private final Rollbacks rollbacks;

  Initializer(AdvancerDeps deps, Rollbacks rollbacks) {
    this.deps = deps;
    this.rollbacks = rollbacks;
  }

  /** True when the tick may go on to the analysis. */
  boolean run(Tick t) {
    return initializeServices(t)
        && checkMetricProviders(t)
        && reconcileAppMesh(t)
        && initializePrimary(t)
        && reconcilePrimaryScaler(t)
        && reconcileApexService(t)
        && scaleDownTarget(t)
        && reconcileMesh(t)
        && markInitialized(t);
  }

  /** Step 4: {@code <apex>-canary} and {@code <apex>-primary}. */
  private boolean initializeServices(Tick t) {
    return attempt(t, () -> t.kubeRouter.initialize(t.canary));
  }

  /** Step 5: metric providers answer (failure does not stop the tick). */
  private boolean checkMetricProviders(Tick t) {
    if (t.skipAnalysis() || !t.initializing()) {
      return true;
    }
    Optional<String> err = deps.metricAnalysis().checkProviders(t.canary);
    if (err.isPresent()) {
      deps.events().error(t.canary, "Error checking metric providers: " + err.get());
    } else {
      deps.events().info(t.canary, "all the metrics providers are available!");
    }
    return true;
  }

  /** Step 6: App Mesh objects come before the primary so pods get the sidecar. */
  private boolean reconcileAppMesh(Tick t) {
    if (MeshProvider.parse(t.provider).orElse(null) != MeshProvider.APPMESH) {
      return true;
    }
    return attempt(t, () -> t.meshRouter.reconcile(t.canary));
  }

  /** Step 7: create the primary; while initializing wait for it to be ready. */
  private boolean initializePrimary(Tick t) {
    boolean skipReadiness = !t.initializing() || t.skipAnalysis();
    Readiness r;
    try {
      r = t.target.initialize(t.canary, skipReadiness);
    } catch (TargetException e) {
      deps.events().warn(t.canary, e.getMessage());
      return false;
    }
    if (r instanceof Readiness.NotReady n) {
      deps.events().warn(t.canary, n.reason());
      if (!n.retriable()) {
        rollbacks.rollback(t);
      }
      return false;
    }
    return true;
  }

  /** Step 8: the primary HPA. */
  private boolean reconcilePrimaryScaler(Tick t) {
    return attempt(t, () -> deps.hpa().reconcilePrimaryScaler(t.canary, true));
  }

  /** Step 9: the apex service selects the primary pods. */
  private boolean reconcileApexService(Tick t) {
    return attempt(t, () -> t.kubeRouter.reconcile(t.canary));
  }

  /** Step 10: the target runs no pods between releases. */
  private boolean scaleDownTarget(Tick t) {
    if (!t.initializing()) {
      return true;
    }
    String kind = t.canary.getSpec().targetRef().kind();
    LOG.info(() -> "Scaling down " + kind + " " + t.targetKey());
    try {
      t.target.scaleToZero(t.canary);
      return true;
    } catch (TargetException e) {
      deps.events()
          .warn(
              t.canary,
              "scaling down canary " + kind + " " + t.targetKey() + " failed: " + e.getMessage());
      return false;
    }
  }

  /** Step 11: the mesh objects, after the primary is ready (zero downtime). */
  private boolean reconcileMesh(Tick t) {
    if (MeshProvider.parse(t.provider).orElse(null) == MeshProvider.APPMESH) {
      return true;
    }
    return attempt(t, () -> t.meshRouter.reconcile(t.canary));
  }

  /** Step 12: phase Initialized. */
  private boolean markInitialized(Tick t) {
    if (!t.initializing()) {
      return true;
    }
    t.canary = deps.status().syncStatus(t.canary, t.target, CanaryPhase.INITIALIZED, 0, 0, 0);
    deps.recorder().setStatus(t.targetName(), t.ns(), CanaryPhase.INITIALIZED);
    deps.events().info(t.canary, "Initialization done! " + t.key());
    deps.alerter()
        .alert(
            t.canary,
            "New " + t.canary.getSpec().targetRef().kind() + " detected, initialization completed.",
            true,
            AlertSeverity.INFO);
    return false;
  }

  private boolean attempt(Tick t, Runnable step) {
    try {
      step.run();
      return true;
    } catch (RouterException | TargetException e) {
      deps.events().warn(t.canary, e.getMessage());
      return false;
    }
  }
}
