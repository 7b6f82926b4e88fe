package app.flagger.controller.scheduler;

import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Reads a Canary from the API server (not the cache), retrying server errors a few times. */
final class CanaryReader {
  private static final int ATTEMPTS = 4;

  private final KubernetesClient client;

  CanaryReader(KubernetesClient client) {
    this.client = client;
  }

  Canary get(String name, String namespace) {
    KubernetesClientException last = null;
    for (int i = 0; i < ATTEMPTS; i++) {
      try {
        return client.resources(Canary.class).inNamespace(namespace).withName(name).get();
      } catch (KubernetesClientException e) {
        if (e.getCode() > 0 && e.getCode() < 500 && e.getCode() != 429) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }
}
