package app.flagger.controller.leader;

/**
 * Whether this replica may write: set by {@link LeaderElection} (or at start when leader election
 * is off), read by the workers before a tick and by the {@link WriteFence} before every write.
 * Starts as not leading.
 */
public final class Leadership {
  private volatile boolean leading;

  public boolean leading() {
    return leading;
  }

  /** This replica holds the Lease (or runs without leader election). */
  public void acquired() {
    leading = true;
  }

  /** This replica lost the Lease: from now on its writes are refused. */
  public void lost() {
    leading = false;
  }
}
