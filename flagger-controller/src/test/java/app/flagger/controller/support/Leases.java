package app.flagger.controller.support;

import app.flagger.controller.leader.LeaderElection;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.ZonedDateTime;

/** What another replica does to the leader-election Lease. */
public final class Leases {
  private Leases() {}

  /**
   * Another replica writes itself into the Lease in {@code namespace} for {@code seconds}; it never
   * renews, so the Lease expires after that.
   */
  public static void takeOver(KubernetesClient client, String namespace, int seconds) {
    client
        .leases()
        .inNamespace(namespace)
        .withName(LeaderElection.LEASE_NAME)
        .edit(
            l -> {
              l.getSpec().setHolderIdentity("other-replica");
              l.getSpec().setLeaseDurationSeconds(seconds);
              l.getSpec().setRenewTime(ZonedDateTime.now());
              return l;
            });
  }
}
