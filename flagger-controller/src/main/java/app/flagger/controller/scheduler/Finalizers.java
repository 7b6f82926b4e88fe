package app.flagger.controller.scheduler;

import app.flagger.controller.canary.Readiness;
import app.flagger.controller.canary.StatusWriter;
import app.flagger.controller.canary.TargetController;
import app.flagger.controller.events.CanaryEvents;
import app.flagger.controller.router.RouterFactory;
import app.flagger.controller.tick.Transitions;
import app.flagger.model.FlaggerGroup;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.logging.JsonLogFormatter;
import app.flagger.model.provider.Provider;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code revertOnDeletion} (Flagger's {@code finalizer.go}): add the finalizer, and on deletion
 * restore the target's replicas and the apex service and mesh objects, then let the Canary go.
 */
public final class Finalizers {
  private static final Logger LOG = Logger.getLogger(Finalizers.class.getName());

  private final KubernetesClient client;
  private final StatusWriter status;
  private final Transitions transitions;
  private final CanaryEvents events;
  private final TargetFactory targets;
  private final RouterFactory routers;
  private final String defaultProvider;

  public Finalizers(
      KubernetesClient client,
      StatusWriter status,
      Transitions transitions,
      CanaryEvents events,
      TargetFactory targets,
      RouterFactory routers,
      String defaultProvider) {
    this.client = client;
    this.status = status;
    this.transitions = transitions;
    this.events = events;
    this.targets = targets;
    this.routers = routers;
    this.defaultProvider = defaultProvider;
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
      c = transitions.terminating(c);
    }
    TargetController target = targets.controller(c);
    Readiness reverted = target.finalize(c);
    info(c, c.key() + " kind " + c.getSpec().targetRef().kind() + " reverted");
    if (!reverted.ready()) {
      info(c, "Checking if canary is ready " + c.key());
      return false;
    }
    if (c.getSpec().analysisOrEmpty().usesBaseline()) {
      // the owner reference would remove them too, once the Canary is gone
      target.deleteBaseline(c);
      targets.kubernetesRouter(c).deleteBaseline(c);
    }
    targets.kubernetesRouter(c).finalize(c);
    info(c, c.key() + " router reverted");
    Provider provider = Provider.resolve(c.getSpec().provider(), defaultProvider);
    routers.meshRouter(provider).finalize(c);
    info(c, c.key() + " mesh provider " + provider + " reverted");
    remove(c);
    events.info(c, "Terminated canary " + c.key());
    info(c, "Canary " + c.key() + " has been successfully processed and marked for deletion");
    return true;
  }

  private void edit(Canary c, boolean add) {
    Canary stored =
        client
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
    status.wrote(stored);
  }

  /** A log line with the {@code canary} field, as Flagger's finalizer logs. */
  private static void info(Canary c, String message) {
    LOG.log(Level.INFO, message, new JsonLogFormatter.CanaryField(c.key()));
  }
}
