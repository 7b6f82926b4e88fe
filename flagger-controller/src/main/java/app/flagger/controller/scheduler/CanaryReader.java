package app.flagger.controller.scheduler;

import app.flagger.controller.kube.CanaryCache;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Reads a Canary for a tick: from the {@link CanaryCache} (the informer's copy or the controller's
 * own newer write), else from the API server, retrying server errors a few times.
 */
public final class CanaryReader {
  private static final int ATTEMPTS = 4;

  private final KubernetesClient client;
  private final CanaryCache cache;

  public CanaryReader(KubernetesClient client, CanaryCache cache) {
    this.client = client;
    this.cache = cache;
  }

  Canary get(String name, String namespace) {
    Canary cached = cache.get(namespace, name);
    if (cached != null) {
      return cached;
    }
    Canary fresh = fromApi(name, namespace);
    if (fresh == null) {
      cache.forget(namespace, name);
    }
    return fresh;
  }

  private Canary fromApi(String name, String namespace) {
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
