package app.flagger.controller.router.contour;

import app.flagger.controller.router.ApexMetadata;
import app.flagger.controller.router.MeshRouter;
import app.flagger.controller.router.RouterObject;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Contour ingress routing (Flagger's {@code ContourRouter}): one HTTPProxy {@code <apex>} built by
 * {@link HttpProxyBuilder}, created by Reconcile and updated only when what Flagger owns changed
 * (weights are SetRoutes' business). Flagger owns {@code routes} and, when the controller's {@code
 * ingress-class} is set, {@code ingressClassName}; other spec fields ({@code virtualhost}, {@code
 * includes}, ...), annotations and labels others add are kept. Writes are updates of the object
 * just read, retried on a conflict.
 */
public final class ContourRouter implements MeshRouter {
  /** The resource context of Contour HTTPProxies. */
  public static final ResourceDefinitionContext HTTP_PROXIES =
      new ResourceDefinitionContext.Builder()
          .withGroup(HttpProxyBuilder.GROUP)
          .withVersion(HttpProxyBuilder.VERSION)
          .withKind(HttpProxyBuilder.KIND)
          .withPlural("httpproxies")
          .withNamespaced(true)
          .build();

  private final String ingressClass;
  private final RouterObject object;

  /**
   * @param client the Kubernetes client
   * @param ingressClass the controller's {@code ingress-class}: written as the HTTPProxy's {@code
   *     ingressClassName} when not empty
   */
  public ContourRouter(KubernetesClient client, String ingressClass) {
    this.ingressClass = ingressClass == null ? "" : ingressClass;
    this.object = new RouterObject(client, HTTP_PROXIES, "get query error: ");
  }

  public String ingressClass() {
    return ingressClass;
  }

  @Override
  public void reconcile(Canary canary) {
    Map<String, Object> desired = HttpProxyBuilder.spec(canary, ingressClass, Routes.allPrimary());
    GenericKubernetesResource existing = object.get(canary);
    if (existing == null) {
      object.create(canary, HttpProxyBuilder.build(canary, ingressClass));
      return;
    }
    if (!HttpProxyBuilder.differs(spec(existing), desired, ingressClass)
        && !ApexMetadata.outdated(existing.getMetadata(), canary)) {
      return;
    }
    object.update(
        canary,
        "update error: ",
        "",
        current -> {
          if (HttpProxyBuilder.differs(spec(current), desired, ingressClass)) {
            current.setAdditionalProperty("spec", merged(spec(current), desired));
          }
          ApexMetadata.mergeInto(current.getMetadata(), canary);
          return current;
        });
  }

  /** Writes the weights; {@code routes.mirrored()} is ignored, as in Flagger. */
  @Override
  public void setRoutes(Canary canary, Routes routes) {
    Map<String, Object> desired = HttpProxyBuilder.spec(canary, ingressClass, routes);
    object.update(
        canary,
        "update error: ",
        "",
        current -> {
          current.setAdditionalProperty("spec", merged(spec(current), desired));
          return current;
        });
  }

  @Override
  public Routes getRoutes(Canary canary) {
    return HttpProxyBuilder.routes(spec(object.require(canary)), canary, RouterObject.key(canary));
  }

  /**
   * Nothing to revert, as in Flagger: the HTTPProxy is Flagger's own object and goes with the
   * Canary through its owner reference.
   */
  @Override
  public void finalize(Canary canary) {}

  /** The current spec with Flagger's fields replaced and any other field kept. */
  private Map<String, Object> merged(Map<String, Object> current, Map<String, Object> desired) {
    Map<String, Object> out = new LinkedHashMap<>(current);
    for (String key : HttpProxyBuilder.ownedKeys(ingressClass)) {
      out.put(key, desired.get(key));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource r) {
    Object spec = r.getAdditionalProperties().get("spec");
    return spec instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
  }
}
