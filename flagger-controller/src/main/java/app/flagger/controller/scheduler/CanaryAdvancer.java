package app.flagger.controller.scheduler;

import app.flagger.controller.canary.TargetException;
import app.flagger.controller.router.RouterException;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One tick of a Canary (Flagger's {@code advanceCanary}), a plain synchronous method tests call
 * directly. It reads like Flagger: re-read the Canary, validation gate, suspend, target metadata,
 * initialization (steps 3-12), change detection (step 13), then the analysis (steps 14-28).
 */
public final class CanaryAdvancer {
  private static final Logger LOG = Logger.getLogger(CanaryAdvancer.class.getName());
  private static final Set<CanaryPhase> ADVANCING =
      Set.of(
          CanaryPhase.PROGRESSING,
          CanaryPhase.WAITING,
          CanaryPhase.WAITING_PROMOTION,
          CanaryPhase.PROMOTING,
          CanaryPhase.FINALISING);

  private final AdvancerDeps deps;
  private final CanaryReader reader;
  private final ValidationGate validation;
  private final Initializer initializer;
  private final AnalysisSteps analysis;

  public CanaryAdvancer(AdvancerDeps deps) {
    this.deps = deps;
    this.reader = new CanaryReader(deps.client(), deps.canaries());
    this.validation = new ValidationGate(deps);
    Hooks hooks = new Hooks(deps);
    Rollbacks rollbacks = new Rollbacks(deps, hooks);
    this.initializer = new Initializer(deps, rollbacks);
    this.analysis =
        new AnalysisSteps(deps, hooks, rollbacks, new Strategies(deps, hooks, rollbacks));
  }

  /** Runs one tick of the Canary {@code name} in {@code namespace}. */
  public void advance(String name, String namespace) {
    Instant begin = deps.clock().instant();
    Canary canary = reader.get(name, namespace);
    if (canary == null) {
      LOG.severe("Canary " + name + "." + namespace + " not found");
      return;
    }
    if (canary.getMetadata().getDeletionTimestamp() != null || !validation.check(canary)) {
      return;
    }
    try {
      advance(new Tick(canary, provider(canary), begin));
    } catch (TargetException | RouterException | KubernetesClientException e) {
      deps.events()
          .warn(
              canary,
              e instanceof KubernetesClientException k
                  ? app.flagger.controller.canary.KubeErrors.message(k)
                  : e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "tick of " + canary.key() + " failed: " + e.getMessage(), e);
    }
  }

  private void advance(Tick t) {
    if (t.canary.getSpec().suspended()) {
      deps.events().info(t.canary, "skipping canary run as object is suspended");
      return;
    }
    t.target = deps.targets().controller(t.canary);
    t.kubeRouter = deps.targets().kubernetesRouter(t.canary);
    t.target.metadata(t.canary);
    t.meshRouter = deps.routers().meshRouter(t.provider);
    if (!initializer.run(t)) {
      return;
    }
    if (!shouldAdvance(t)) {
      deps.recorder().setStatus(t.targetName(), t.ns(), t.phase());
      return;
    }
    analysis.run(t);
  }

  /** Step 13: a running phase, or a new revision of the target or its configs. */
  private boolean shouldAdvance(Tick t) {
    if (ADVANCING.contains(t.phase())) {
      return true;
    }
    Canary snapshot = t.canary;
    if (t.phase() == CanaryPhase.FAILED) {
      t.canary =
          deps.status()
              .syncStatus(
                  t.canary,
                  t.target,
                  CanaryPhase.FAILED,
                  t.canaryWeight(),
                  t.failedChecks(),
                  t.iterations());
    }
    return t.target.hasTargetChanged(snapshot) || t.target.haveDependenciesChanged(snapshot);
  }

  private String provider(Canary canary) {
    String p = canary.getSpec().provider();
    return p == null || p.isEmpty() ? deps.config().meshProvider() : p;
  }
}
