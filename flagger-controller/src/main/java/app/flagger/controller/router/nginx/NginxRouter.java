package app.flagger.controller.router.nginx;

import app.flagger.controller.router.MeshRouter;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressList;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * ingress-nginx canary routing (Flagger's {@code IngressRouter}, provider {@code nginx}): a copy
 * {@code <ingress>-canary} of the Canary's {@code spec.ingressRef} Ingress, built by {@link
 * NginxIngressBuilder}, whose backend is the canary service and whose canary annotations carry the
 * weight or the A/B header and cookie. Reconcile creates it and afterwards replaces only its spec,
 * when the source Ingress' spec changed; the weights live in annotations, so they never make
 * Reconcile write. Writes are updates of the Ingress just read (typed {@code
 * networking.k8s.io/v1}), retried on a conflict.
 */
public final class NginxRouter implements MeshRouter {
  private static final Logger LOG = Logger.getLogger(NginxRouter.class.getName());
  private static final int CONFLICT_RETRIES = 3;

  private final KubernetesClient client;
  private final NginxIngressBuilder builder;

  /**
   * @param client the Kubernetes client
   * @param annotationsPrefix the {@code ingress-annotations-prefix} setting ({@code
   *     nginx.ingress.kubernetes.io})
   */
  public NginxRouter(KubernetesClient client, String annotationsPrefix) {
    this.client = client;
    this.builder = new NginxIngressBuilder(annotationsPrefix);
  }

  public NginxIngressBuilder builder() {
    return builder;
  }

  @Override
  public void reconcile(Canary canary) {
    String sourceName = NginxIngressBuilder.ingressName(canary);
    Ingress source = require(canary, sourceName);
    IngressSpec desired = NginxIngressBuilder.canarySpec(canary, source);
    String name = NginxIngressBuilder.canaryIngressName(canary);
    Ingress existing = get(canary, name, "query error: ");
    if (existing == null) {
      try {
        ingresses(canary).resource(builder.build(canary, source)).create();
      } catch (KubernetesClientException e) {
        throw new RouterException(
            "ingress " + key(canary, name) + " create error: " + e.getMessage(), e);
      }
      LOG.info(() -> "Ingress " + key(canary, name) + " created");
      return;
    }
    if (desired.equals(existing.getSpec())) {
      return;
    }
    update(
        canary,
        "update error: ",
        current -> {
          current.setSpec(desired);
          return current;
        });
    LOG.info(() -> "Ingress " + name + " updated");
  }

  /** Writes the weight or the A/B annotations; {@code routes.mirrored()} is ignored. */
  @Override
  public void setRoutes(Canary canary, Routes routes) {
    update(
        canary,
        "update error ",
        current -> {
          Map<String, String> annotations =
              builder.routed(canary, current.getMetadata().getAnnotations(), routes);
          current.getMetadata().setAnnotations(annotations);
          return current;
        });
  }

  @Override
  public Routes getRoutes(Canary canary) {
    String name = NginxIngressBuilder.canaryIngressName(canary);
    return builder.routes(
        canary, require(canary, name).getMetadata().getAnnotations(), key(canary, name));
  }

  /**
   * Nothing to revert, as in Flagger: the canary Ingress goes with the Canary through its owner
   * reference, and the source Ingress was never changed.
   */
  @Override
  public void finalize(Canary canary) {}

  private void update(Canary canary, String what, UnaryOperator<Ingress> change) {
    String name = NginxIngressBuilder.canaryIngressName(canary);
    for (int attempt = 1; ; attempt++) {
      Ingress current = require(canary, name);
      try {
        ingresses(canary).resource(change.apply(current)).update();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= CONFLICT_RETRIES) {
          throw new RouterException(
              "ingress " + key(canary, name) + " " + what + e.getMessage(), e);
        }
      }
    }
  }

  private Ingress require(Canary canary, String name) {
    Ingress ingress = get(canary, name, "get query error: ");
    if (ingress == null) {
      throw new RouterException(
          "ingress "
              + key(canary, name)
              + " get query error: ingresses.networking.k8s.io \""
              + name
              + "\" not found");
    }
    return ingress;
  }

  private Ingress get(Canary canary, String name, String what) {
    try {
      return ingresses(canary).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new RouterException("ingress " + key(canary, name) + " " + what + e.getMessage(), e);
    }
  }

  private NonNamespaceOperation<Ingress, IngressList, Resource<Ingress>> ingresses(Canary canary) {
    return client.network().v1().ingresses().inNamespace(canary.getMetadata().getNamespace());
  }

  private static String key(Canary canary, String name) {
    return name + "." + canary.getMetadata().getNamespace();
  }
}
