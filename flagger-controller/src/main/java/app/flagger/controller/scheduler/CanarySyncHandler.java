package app.flagger.controller.scheduler;

import app.flagger.controller.observe.CanaryMetricsRecorder;
import app.flagger.controller.tick.Transitions;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reacts to Canary informer events (Flagger's {@code syncHandler}, without the analysis): the
 * validation gate, the finalizer flow, phase Initializing for new Canaries, and the scheduler's set
 * of Canaries. Deleting a Canary also removes its metric series.
 */
public final class CanarySyncHandler implements ResourceEventHandler<Canary> {
  private static final Logger LOG = Logger.getLogger(CanarySyncHandler.class.getName());

  private final ValidationGate validation;
  private final Finalizers finalizers;
  private final Transitions transitions;
  private final CanaryMetricsRecorder recorder;
  private final CanaryScheduler scheduler;

  public CanarySyncHandler(
      ValidationGate validation,
      Finalizers finalizers,
      Transitions transitions,
      CanaryMetricsRecorder recorder,
      CanaryScheduler scheduler) {
    this.validation = validation;
    this.finalizers = finalizers;
    this.transitions = transitions;
    this.recorder = recorder;
    this.scheduler = scheduler;
  }

  @Override
  public void onAdd(Canary canary) {
    sync(canary);
  }

  @Override
  public void onUpdate(Canary old, Canary canary) {
    boolean specChanged = !Objects.equals(old.getSpec(), canary.getSpec());
    boolean deleting = canary.getMetadata().getDeletionTimestamp() != null;
    if (specChanged
        || deleting
        || Finalizers.has(canary)
            != (canary.getSpec() != null && canary.getSpec().revertsOnDeletion())
        || !scheduler.knows(canary.key())) {
      sync(canary);
    } else {
      scheduler.put(canary);
    }
  }

  @Override
  public void onDelete(Canary canary, boolean unknownFinalState) {
    LOG.info("Deleting " + canary.key() + " from cache");
    scheduler.remove(canary.key());
    if (canary.getSpec() != null && canary.getSpec().targetRef() != null) {
      recorder.removeCanary(
          canary.getSpec().targetRef().name(), canary.getMetadata().getNamespace());
    }
  }

  /** Processes one Canary; safe to call again (idempotent). */
  public void sync(Canary canary) {
    try {
      doSync(canary);
    } catch (KubernetesClientException
        | app.flagger.controller.canary.TargetException
        | app.flagger.controller.router.RouterException e) {
      LOG.log(Level.WARNING, "sync of " + canary.key() + " failed: " + e.getMessage());
    }
  }

  private void doSync(Canary canary) {
    if (!validation.check(canary)) {
      scheduler.remove(canary.key());
      return;
    }
    boolean reverts = canary.getSpec().revertsOnDeletion();
    if (canary.getMetadata().getDeletionTimestamp() != null) {
      if (reverts && Finalizers.has(canary)) {
        finalizers.finalize(canary);
      }
      return;
    }
    if (!reverts && Finalizers.has(canary)) {
      LOG.info(canary.key() + " opting out, deleting finalizers");
      finalizers.remove(canary);
    }
    Canary current = canary;
    if (!hasPromotedCondition(current)) {
      current = transitions.initializing(current);
    }
    if (reverts && !Finalizers.has(current)) {
      finalizers.add(current);
    }
    scheduler.put(current);
    LOG.fine(
        "Synced " + current.getMetadata().getNamespace() + "/" + current.getMetadata().getName());
  }

  private static boolean hasPromotedCondition(Canary c) {
    return c.getStatus() != null
        && c.getStatus().conditionsOrEmpty().stream()
            .anyMatch(x -> CanaryStatus.PROMOTED_CONDITION.equals(x.type()));
  }
}
