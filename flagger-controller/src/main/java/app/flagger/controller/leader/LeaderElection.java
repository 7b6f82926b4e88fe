package app.flagger.controller.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Leader election on the Lease {@code flagger-leader-election} ({@code
 * flagger-leader-election-shard-<i>-of-<n>} for shard i of n, see {@code Shard}) (lease 60 s, renew
 * 15 s, retry 5 s, released on cancel), as in Flagger. Only the leader runs canary jobs.
 *
 * <p>Two differences from Flagger, which exits when it loses the Lease (and, under client-side
 * throttling, ends in crash loops: flagger#638):
 *
 * <ul>
 *   <li>the Lease is read and renewed with its own client ({@code client}), so its requests never
 *       queue behind the canary ticks' in the rate limiter;
 *   <li>a replica that loses the Lease stops its workers, reports not ready and competes again, so
 *       it takes over later without a restart and a full resync of its caches. The {@link
 *       Leadership} it shares with the workers and the {@link WriteFence} is updated before the
 *       callbacks run, so from the moment the Lease is lost no write of the controller goes out.
 * </ul>
 */
public final class LeaderElection implements AutoCloseable {
  public static final String LEASE_NAME = "flagger-leader-election";
  private static final Logger LOG = Logger.getLogger(LeaderElection.class.getName());

  /** How long a Lease lasts, how long a leader keeps trying to renew it, how often to retry. */
  public record Timing(Duration lease, Duration renewDeadline, Duration retryPeriod) {
    public static final Timing FLAGGER =
        new Timing(Duration.ofSeconds(60), Duration.ofSeconds(15), Duration.ofSeconds(5));
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String leaseName;
  private final String identity;
  private final Timing timing;
  private final Leadership leadership;
  private volatile boolean closed;
  private volatile CompletableFuture<?> running;

  public LeaderElection(
      KubernetesClient client,
      String namespace,
      String leaseName,
      String hostname,
      Timing timing,
      Leadership leadership) {
    this.client = client;
    this.namespace = namespace;
    this.leaseName = leaseName;
    this.identity = hostname + "_" + UUID.randomUUID();
    this.timing = timing;
    this.leadership = leadership;
  }

  /**
   * Competes for the Lease until closed; {@code onStartLeading} runs each time it is acquired,
   * {@code onStopLeading} each time it is lost (after {@link Leadership} says so). The callbacks
   * run on the elector's thread.
   */
  public void start(Runnable onStartLeading, Runnable onStopLeading) {
    LOG.info(
        "Starting leader election id: "
            + identity
            + " lease: "
            + leaseName
            + " namespace: "
            + namespace);
    compete(onStartLeading, onStopLeading);
  }

  private void compete(Runnable onStartLeading, Runnable onStopLeading) {
    if (closed) {
      return;
    }
    CompletableFuture<?> round =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName(leaseName)
                    .withLock(new LeaseLock(namespace, leaseName, identity))
                    .withLeaseDuration(timing.lease())
                    .withRenewDeadline(timing.renewDeadline())
                    .withRetryPeriod(timing.retryPeriod())
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(
                        new LeaderCallbacks(
                            () -> {
                              LOG.info("Acting as elected leader");
                              leadership.acquired();
                              onStartLeading.run();
                            },
                            () -> {
                              leadership.lost();
                              LOG.severe("Leadership lost");
                              onStopLeading.run();
                            },
                            leader -> {
                              if (!identity.equals(leader)) {
                                LOG.info("Another instance has been elected as leader: " + leader);
                              }
                            }))
                    .build())
            .build()
            .start();
    running = round;
    // a round ends when the Lease is lost (or on close): compete again after a retry period
    round.whenComplete(
        (r, t) -> {
          if (!closed) {
            LOG.info("Competing again for lease " + leaseName);
            CompletableFuture.delayedExecutor(
                    timing.retryPeriod().toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> compete(onStartLeading, onStopLeading));
          }
        });
  }

  public String identity() {
    return identity;
  }

  @Override
  public void close() {
    closed = true;
    CompletableFuture<?> r = running;
    if (r != null) {
      r.cancel(true);
    }
  }
}
