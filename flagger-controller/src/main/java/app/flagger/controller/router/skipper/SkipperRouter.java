package app.flagger.controller.router.skipper;

import app.flagger.controller.router.MeshRouter;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.RouterObject;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * Skipper ingress routing (Flagger's {@code SkipperRouter}): the canary Ingress {@code
 * <ingress>-canary} built by {@link SkipperIngressBuilder} from the user's {@code spec.ingressRef}
 * Ingress (which Flagger never changes), created by Reconcile and updated when the apex Ingress
 * changed; the split lives in its annotations, which SetRoutes writes. Writes are updates of the
 * Ingress just read, retried on a conflict. Finalize deletes the canary Ingress.
 */
public final class SkipperRouter implements MeshRouter {
  private static final Logger LOG = Logger.getLogger(SkipperRouter.class.getName());
  private static final int CONFLICT_RETRIES = 3;

  /** Flagger's grace period when it deletes the canary Ingress. */
  static final long DELETE_GRACE_SECONDS = 2;

  private final KubernetesClient client;

  public SkipperRouter(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void reconcile(Canary canary) {
    SkipperIngressBuilder.refuseMatch(canary);
    String apexName = SkipperIngressBuilder.ingressName(canary);
    Ingress apex =
        get(canary, apexName, "apexIngress " + key(canary, apexName) + " get query error: ");
    if (apex == null) {
      throw new RouterException(
          "apexIngress "
              + key(canary, apexName)
              + " get query error: ingresses.networking.k8s.io \""
              + apexName
              + "\" not found");
    }
    Ingress desired = SkipperIngressBuilder.build(canary, apex);
    String name = desired.getMetadata().getName();
    Ingress existing = get(canary, name, "ingress " + key(canary, name) + " query error: ");
    if (existing == null) {
      try {
        ingresses(canary).resource(desired).create();
      } catch (KubernetesClientException e) {
        throw new RouterException(
            "ingress " + key(canary, name) + " create error: " + e.getMessage(), e);
      }
      LOG.info(() -> "Ingress " + key(canary, name) + " created");
      return;
    }
    if (!SkipperIngressBuilder.differs(existing, desired)) {
      return;
    }
    update(canary, name, current -> SkipperIngressBuilder.merged(current, desired));
    LOG.info(() -> "Ingress " + name + " updated");
  }

  /** Writes the weights; {@code routes.mirrored()} is ignored, as in Flagger. */
  @Override
  public void setRoutes(Canary canary, Routes routes) {
    SkipperIngressBuilder.refuseMatch(canary);
    String name = SkipperIngressBuilder.canaryIngressName(canary);
    update(canary, name, current -> SkipperIngressBuilder.withRoutes(current, canary, routes));
  }

  @Override
  public Routes getRoutes(Canary canary) {
    String name = SkipperIngressBuilder.canaryIngressName(canary);
    return SkipperIngressBuilder.routes(require(canary, name), canary, key(canary, name));
  }

  /**
   * Deletes the canary Ingress with a grace period of 2 s (Flagger's Finalize), so the apex Ingress
   * serves the app again; one already gone is not an error.
   */
  @Override
  public void finalize(Canary canary) {
    String name = SkipperIngressBuilder.canaryIngressName(canary);
    try {
      ingress(canary, name).withGracePeriod(DELETE_GRACE_SECONDS).delete();
    } catch (KubernetesClientException e) {
      throw new RouterException(
          "ingress " + key(canary, name) + " unable to remove canary ingress: " + e.getMessage(),
          e);
    }
  }

  private void update(Canary canary, String name, UnaryOperator<Ingress> change) {
    for (int attempt = 1; ; attempt++) {
      Ingress current = require(canary, name);
      try {
        ingresses(canary).resource(change.apply(current)).update();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= CONFLICT_RETRIES) {
          throw new RouterException(
              "ingress " + key(canary, name) + " update error: " + e.getMessage(), e);
        }
      }
    }
  }

  private Ingress require(Canary canary, String name) {
    String prefix = "ingress " + key(canary, name) + " get query error: ";
    Ingress current = get(canary, name, prefix);
    if (current == null) {
      throw new RouterException(prefix + "ingresses.networking.k8s.io \"" + name + "\" not found");
    }
    return current;
  }

  private Ingress get(Canary canary, String name, String errorPrefix) {
    try {
      return ingress(canary, name).get();
    } catch (KubernetesClientException e) {
      throw new RouterException(errorPrefix + e.getMessage(), e);
    }
  }

  private Resource<Ingress> ingress(Canary canary, String name) {
    return ingresses(canary).withName(name);
  }

  private NonNamespaceOperation<Ingress, IngressList, Resource<Ingress>> ingresses(Canary canary) {
    return client.network().v1().ingresses().inNamespace(canary.getMetadata().getNamespace());
  }

  private static String key(Canary canary, String name) {
    return RouterObject.key(canary, name);
  }
}
