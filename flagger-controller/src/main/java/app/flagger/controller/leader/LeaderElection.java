package app.flagger.controller.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * Leader election on the Lease {@code flagger-leader-election} (lease 60 s, renew 15 s, retry 5 s,
 * released on cancel), as in Flagger. Only the leader runs canary jobs.
 */
public final class LeaderElection implements AutoCloseable {
  public static final String LEASE_NAME = "flagger-leader-election";
  private static final Logger LOG = Logger.getLogger(LeaderElection.class.getName());

  private final KubernetesClient client;
  private final String namespace;
  private final String identity;
  private CompletableFuture<?> running;

  public LeaderElection(KubernetesClient client, String namespace, String hostname) {
    this.client = client;
    this.namespace = namespace;
    this.identity = hostname + "_" + UUID.randomUUID();
  }

  /** Starts competing for the Lease; the callbacks run on the elector's thread. */
  public void start(Runnable onStartLeading, Runnable onStopLeading) {
    LOG.info(
        "Starting leader election id: "
            + identity
            + " lease: "
            + LEASE_NAME
            + " namespace: "
            + namespace);
    LeaderElector elector =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName(LEASE_NAME)
                    .withLock(new LeaseLock(namespace, LEASE_NAME, identity))
                    .withLeaseDuration(Duration.ofSeconds(60))
                    .withRenewDeadline(Duration.ofSeconds(15))
                    .withRetryPeriod(Duration.ofSeconds(5))
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(
                        new LeaderCallbacks(
                            () -> {
                              LOG.info("Acting as elected leader");
                              onStartLeading.run();
                            },
                            () -> {
                              LOG.severe("Leadership lost");
                              onStopLeading.run();
                            },
                            leader -> {
                              if (!identity.equals(leader)) {
                                LOG.info("Another instance has been elected as leader: " + leader);
                              }
                            }))
                    .build())
            .build();
    running = elector.start();
  }

  public String identity() {
    return identity;
  }

  @Override
  public void close() {
    if (running != null) {
      running.cancel(true);
    }
  }
}
