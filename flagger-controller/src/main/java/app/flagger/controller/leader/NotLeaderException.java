package app.flagger.controller.leader;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * A write refused by the {@link WriteFence} because this replica does not hold the Lease. A tick
 * meets it as any other failed API call (a failed step); it is never retried.
 */
public final class NotLeaderException extends KubernetesClientException {
  public NotLeaderException(String method, String path) {
    super("not the leader: refusing " + method + " " + path + " (the Lease is held elsewhere)");
  }
}
