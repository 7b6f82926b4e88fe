package app.flagger.controller.scheduler;

import app.flagger.model.canary.Canary;

/** What a sync of one Canary ({@link CanarySyncHandler}) means for the scheduler's set. */
public sealed interface SyncResult {
  /** Valid and set up: the scheduler keeps it (as stored now) and ticks it. */
  record Scheduled(Canary canary) implements SyncResult {}

  /** Rejected by the validation gate: not scheduled until its spec changes. */
  record Invalid() implements SyncResult {}

  /** Gone or being deleted: nothing to schedule (its delete event removes it). */
  record Skipped() implements SyncResult {}

  /** Failed (an API, target or router error, or a revert not finished yet): tried again later. */
  record Retry(String reason) implements SyncResult {}
}
