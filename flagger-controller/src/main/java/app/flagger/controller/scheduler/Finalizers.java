package app.flagger.controller.scheduler;

import app.flagger.controller.canary.Readiness;
import app.flagger.controller.canary.TargetController;
import app.flagger.model.FlaggerGroup;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * {@code revertOnDeletion} (Flagger's {@code finalizer.go}): add the finalizer, and on deletion
 * restore the target's replicas and the apex service and mesh objects, then let the Canary go.
 */
final class Finalizers {
  private static final Logger LOG = Logger.getLogger(Finalizers.class.getName());

  private final AdvancerDeps deps;

  Finalizers(AdvancerDeps deps) {
    this.deps = deps;
  }

  static boolean has(Canary c) {
    List<String> f = c.getMetadata().getFinalizers();
    return f != null && f.contains(FlaggerGroup.FINALIZER);
  }

  void add(Canary c) {
    edit(c, true);
  }

  void remove(Canary c) {
    edit(c, false);
  }

  /** Reverts the target and routing; true once the finalizer is removed. */
  boolean finalize(Canary canary) {
    Canary c = canary;
    if (c.getStatus() == null || c.getStatus().phaseOrNone() != CanaryPhase.TERMINATING) {
      c = deps.status().setPhase(c, CanaryPhase.TERMINATING);
      deps.events().info(c, "Terminating canary " + c.key());
    }
    TargetController target = deps.targets().controller(c);
    Readiness reverted = target.finalize(c);
    LOG.info(c.key() + " kind " + c.getSpec().targetRef().kind() + " reverted");
    if (!reverted.ready()) {
      LOG.info("Checking if canary is ready " + c.key());
      return false;
    }
    deps.targets().kubernetesRouter(c).finalize(c);
    LOG.info(c.key() + " router reverted");
    String provider =
        c.getSpec().provider() == null ? deps.config().meshProvider() : c.getSpec().provider();
    deps.routers().meshRouter(provider).finalize(c);
    LOG.info(c.key() + " mesh provider " + provider + " reverted");
    remove(c);
    deps.events().info(c, "Terminated canary " + c.key());
    LOG.info("Canary " + c.key() + " has been successfully processed and marked for deletion");
    return true;
  }

  private void edit(Canary c, boolean add) {
    Canary stored =
        deps.client()
            .resources(Canary.class)
            .inNamespace(c.getMetadata().getNamespace())
            .withName(c.getMetadata().getName())
            .edit(
                fresh -> {
                  List<String> f =
                      new ArrayList<>(
                          fresh.getMetadata().getFinalizers() == null
                              ? List.of()
                              : fresh.getMetadata().getFinalizers());
                  f.remove(FlaggerGroup.FINALIZER);
                  if (add) {
                    f.add(FlaggerGroup.FINALIZER);
                  }
                  fresh.getMetadata().setFinalizers(f);
                  return fresh;
                });
    deps.status().wrote(stored);
  }
}
