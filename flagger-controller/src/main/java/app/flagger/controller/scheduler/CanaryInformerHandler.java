package app.flagger.controller.scheduler;

import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.Objects;

/**
 * The Canary informer's callbacks (Flagger's event handlers): they only queue work for the {@link
 * CanaryScheduler}'s workers and never call the API. An added Canary is synced; an updated one when
 * its spec changed, it is being deleted, its finalizer does not match {@code revertOnDeletion}, or
 * it is not scheduled (so the 30 s resync retries an invalid one); a deleted one is removed. Every
 * update of a scheduled Canary also replaces the scheduler's copy, so a changed interval reaches
 * its timer even while a tick of it runs.
 */
public final class CanaryInformerHandler implements ResourceEventHandler<Canary> {
  private final CanaryScheduler scheduler;

  CanaryInformerHandler(CanaryScheduler scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  public void onAdd(Canary canary) {
    scheduler.enqueueSync(canary);
  }

  @Override
  public void onUpdate(Canary old, Canary canary) {
    scheduler.refresh(canary);
    boolean specChanged = !Objects.equals(old.getSpec(), canary.getSpec());
    boolean deleting = canary.getMetadata().getDeletionTimestamp() != null;
    boolean reverts = canary.getSpec() != null && canary.getSpec().revertsOnDeletion();
    if (specChanged
        || deleting
        || Finalizers.has(canary) != reverts
        || !scheduler.knows(canary.key())) {
      scheduler.enqueueSync(canary);
    }
  }

  @Override
  public void onDelete(Canary canary, boolean unknownFinalState) {
    scheduler.enqueueDeleted(canary);
  }
}
