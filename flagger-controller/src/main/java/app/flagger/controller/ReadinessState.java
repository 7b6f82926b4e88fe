package app.flagger.controller;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@code /health/ready} reports: UP only once every informer has synced (Canaries, and the
 * caches of Deployments, DaemonSets, ConfigMaps, Secrets and HPAs that ticks read from) and, when
 * leader election is on, this replica holds the Lease.
 */
public final class ReadinessState {
  private final AtomicBoolean synced = new AtomicBoolean();
  private final AtomicBoolean leading = new AtomicBoolean();
  private final boolean leaderElection;

  public ReadinessState(boolean leaderElection) {
    this.leaderElection = leaderElection;
  }

  public void informersSynced(boolean value) {
    synced.set(value);
  }

  public void leading(boolean value) {
    leading.set(value);
  }

  public boolean synced() {
    return synced.get();
  }

  public boolean leading() {
    return !leaderElection || leading.get();
  }

  public boolean ready() {
    return synced() && leading();
  }
}
