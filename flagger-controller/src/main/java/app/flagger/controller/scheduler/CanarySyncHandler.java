package app.flagger.controller.scheduler;

import app.flagger.controller.canary.TargetException;
import app.flagger.controller.kube.KubeErrors;
import app.flagger.controller.observe.CanaryMetricsRecorder;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.tick.Transitions;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryStatus;
import app.flagger.model.logging.JsonLogFormatter;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Flagger's {@code syncHandler}, without the analysis: the validation gate, the finalizer flow,
 * phase Initializing for new Canaries; its {@link SyncResult} tells the scheduler whether to
 * schedule the Canary. A worker of the {@link CanaryScheduler}'s queue runs it, never an informer
 * callback; tests call {@link #sync(Canary)} directly. A deleted Canary's metric series go with it
 * ({@link #deleted}).
 */
public final class CanarySyncHandler implements CanaryScheduler.Syncer {
  private static final Logger LOG = Logger.getLogger(CanarySyncHandler.class.getName());

  private final CanaryReader reader;
  private final ValidationGate validation;
  private final Finalizers finalizers;
  private final Transitions transitions;
  private final CanaryMetricsRecorder recorder;

  public CanarySyncHandler(
      CanaryReader reader,
      ValidationGate validation,
      Finalizers finalizers,
      Transitions transitions,
      CanaryMetricsRecorder recorder) {
    this.reader = reader;
    this.validation = validation;
    this.finalizers = finalizers;
    this.transitions = transitions;
    this.recorder = recorder;
  }

  /** Syncs the Canary as the informer cache has it (read through the API when not cached). */
  @Override
  public SyncResult sync(String namespace, String name) {
    Canary canary;
    try {
      canary = reader.get(name, namespace);
    } catch (KubernetesClientException e) {
      return failed(name + "." + namespace, e);
    }
    return canary == null ? new SyncResult.Skipped() : sync(canary);
  }

  /** Processes one Canary; safe to call again (idempotent). */
  public SyncResult sync(Canary canary) {
    try {
      return doSync(canary);
    } catch (KubernetesClientException | TargetException | RouterException e) {
      return failed(canary.key(), e);
    }
  }

  /** Forgets a deleted Canary's metric series. */
  @Override
  public void deleted(Canary canary) {
    LOG.log(
        Level.INFO,
        "Deleting " + canary.key() + " from cache",
        new JsonLogFormatter.CanaryField(canary.key()));
    if (canary.getSpec() != null && canary.getSpec().targetRef() != null) {
      recorder.removeCanary(
          canary.getSpec().targetRef().name(), canary.getMetadata().getNamespace());
    }
  }

  private SyncResult doSync(Canary canary) {
    if (!validation.check(canary)) {
      return new SyncResult.Invalid();
    }
    boolean reverts = canary.getSpec().revertsOnDeletion();
    if (canary.getMetadata().getDeletionTimestamp() != null) {
      if (reverts && Finalizers.has(canary) && !finalizers.finalize(canary)) {
        return new SyncResult.Retry(canary.key() + " is not reverted yet");
      }
      return new SyncResult.Skipped();
    }
    if (!reverts && Finalizers.has(canary)) {
      LOG.log(
          Level.INFO,
          canary.key() + " opting out, deleting finalizers",
          new JsonLogFormatter.CanaryField(canary.key()));
      finalizers.remove(canary);
    }
    Canary current = canary;
    if (!hasPromotedCondition(current)) {
      current = transitions.initializing(current);
    }
    if (reverts && !Finalizers.has(current)) {
      finalizers.add(current);
    }
    LOG.fine(
        "Synced " + current.getMetadata().getNamespace() + "/" + current.getMetadata().getName());
    return new SyncResult.Scheduled(current);
  }

  private static SyncResult failed(String key, RuntimeException e) {
    String reason =
        e instanceof KubernetesClientException k ? KubeErrors.message(k) : e.getMessage();
    LOG.warning("sync of " + key + " failed: " + reason);
    return new SyncResult.Retry(reason);
  }

  private static boolean hasPromotedCondition(Canary c) {
    return c.getStatus() != null
        && c.getStatus().conditionsOrEmpty().stream()
            .anyMatch(x -> CanaryStatus.PROMOTED_CONDITION.equals(x.type()));
  }
}
