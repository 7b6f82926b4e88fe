package app.flagger.controller.router.kuma;

import app.flagger.controller.router.ApexMetadata;
import app.flagger.controller.router.MeshRouter;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Kuma traffic routing (Flagger's {@code KumaRouter}): one cluster-scoped TrafficRoute {@code
 * <apex>} built by {@link TrafficRouteBuilder}, created by Reconcile and updated only when what
 * Flagger owns changed (weights are SetRoutes' business). Flagger owns {@code sources}, {@code
 * destinations} and {@code conf}; other spec fields, annotations and labels others add are kept.
 * The {@code mesh} is set on creation only, as in Flagger. Writes are updates of the object just
 * read, retried on a conflict.
 */
public final class KumaRouter implements MeshRouter {
  private static final int CONFLICT_RETRIES = 3;

  /** The resource context of Kuma TrafficRoutes (cluster-scoped). */
  public static final ResourceDefinitionContext TRAFFIC_ROUTES =
      new ResourceDefinitionContext.Builder()
          .withGroup(TrafficRouteBuilder.GROUP)
          .withVersion(TrafficRouteBuilder.VERSION)
          .withKind(TrafficRouteBuilder.KIND)
          .withPlural("trafficroutes")
          .withNamespaced(false)
          .build();

  private final KubernetesClient client;

  public KumaRouter(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void reconcile(Canary canary) {
    Map<String, Object> desired = TrafficRouteBuilder.spec(canary);
    GenericKubernetesResource existing = get(canary);
    if (existing == null) {
      try {
        client
            .genericKubernetesResources(TRAFFIC_ROUTES)
            .resource(TrafficRouteBuilder.build(canary))
            .create();
      } catch (KubernetesClientException e) {
        throw new RouterException(
            "TrafficRoute " + name(canary) + " create error: " + e.getMessage(), e);
      }
      return;
    }
    if (!needsUpdate(existing, desired, canary)) {
      return;
    }
    write(
        canary,
        current -> {
          if (TrafficRouteBuilder.differs(spec(current), desired)) {
            current.setAdditionalProperty("spec", merged(spec(current), desired));
          }
          ApexMetadata.mergeInto(current.getMetadata(), canary);
          return current;
        });
  }

  private static boolean needsUpdate(
      GenericKubernetesResource existing, Map<String, Object> desired, Canary canary) {
    return TrafficRouteBuilder.differs(spec(existing), desired)
        || ApexMetadata.outdated(existing.getMetadata(), canary);
  }

  /** The current spec with Flagger's fields replaced and any other field kept. */
  private static Map<String, Object> merged(
      Map<String, Object> current, Map<String, Object> desired) {
    Map<String, Object> out = new LinkedHashMap<>(current);
    for (String key : TrafficRouteBuilder.OWNED_KEYS) {
      out.put(key, desired.get(key));
    }
    return out;
  }

  /**
   * Writes the split; Kuma cannot mirror, so {@code routes.mirrored()} is ignored as in Flagger.
   */
  @Override
  public void setRoutes(Canary canary, Routes routes) {
    Map<String, Object> conf = TrafficRouteBuilder.conf(canary, routes);
    write(
        canary,
        current -> {
          Map<String, Object> spec = new LinkedHashMap<>(spec(current));
          spec.put("conf", conf);
          current.setAdditionalProperty("spec", spec);
          return current;
        });
  }

  @Override
  public Routes getRoutes(Canary canary) {
    GenericKubernetesResource route = get(canary);
    if (route == null) {
      throw notFound(canary);
    }
    return TrafficRouteBuilder.routes(spec(route), canary);
  }

  /**
   * Nothing to revert, as in Flagger. The route has no owner reference (it is cluster-scoped and
   * the Canary is namespaced), so it stays after the Canary is deleted.
   */
  @Override
  public void finalize(Canary canary) {}

  private GenericKubernetesResource get(Canary canary) {
    try {
      return resource(canary).get();
    } catch (KubernetesClientException e) {
      throw new RouterException(
          "TrafficRoute " + name(canary) + " get query error " + e.getMessage(), e);
    }
  }

  private void write(Canary canary, UnaryOperator<GenericKubernetesResource> change) {
    for (int attempt = 1; ; attempt++) {
      GenericKubernetesResource current = get(canary);
      if (current == null) {
        throw notFound(canary);
      }
      try {
        client.genericKubernetesResources(TRAFFIC_ROUTES).resource(change.apply(current)).update();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= CONFLICT_RETRIES) {
          throw new RouterException(
              "TrafficRoute " + name(canary) + " update error " + e.getMessage(), e);
        }
      }
    }
  }

  private static RouterException notFound(Canary canary) {
    return new RouterException(
        "TrafficRoute "
            + name(canary)
            + " get query error trafficroutes."
            + TrafficRouteBuilder.GROUP
            + " \""
            + name(canary)
            + "\" not found");
  }

  private Resource<GenericKubernetesResource> resource(Canary canary) {
    return client.genericKubernetesResources(TRAFFIC_ROUTES).withName(name(canary));
  }

  private static String name(Canary canary) {
    return canary.getSpec().apexName();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource r) {
    Object spec = r.getAdditionalProperties().get("spec");
    return spec instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
  }
}
