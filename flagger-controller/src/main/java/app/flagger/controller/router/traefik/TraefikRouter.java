package app.flagger.controller.router.traefik;

import app.flagger.controller.router.ApexMetadata;
import app.flagger.controller.router.MeshRouter;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.RouterObject;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Traefik routing (Flagger's {@code TraefikRouter}): one TraefikService {@code <apex>} of {@code
 * traefik.io/v1alpha1}, a weighted round robin over the primary and canary Services built by {@link
 * TraefikServiceBuilder}, which an IngressRoute of the user's refers to. Reconcile creates it and
 * updates it only when what Flagger owns changed, keeping the current weights; SetRoutes writes the
 * weights. Flagger owns {@code spec.weighted.services}; other spec fields ({@code weighted.sticky},
 * ...), fields others add to an entry, annotations and labels are kept. Writes are updates of the
 * object just read, retried on a conflict.
 *
 * <p>A TraefikService only splits by weight: A/B testing ({@code analysis.match}) would send all
 * traffic to the canary, and Flagger never mirrors through it, so a Canary with {@code
 * analysis.match} or {@code analysis.mirror} is refused with an error naming the field.
 */
public final class TraefikRouter implements MeshRouter {
  /** The resource context of Traefik's TraefikServices. */
  public static final ResourceDefinitionContext TRAEFIK_SERVICES =
      new ResourceDefinitionContext.Builder()
          .withGroup(TraefikServiceBuilder.GROUP)
          .withVersion(TraefikServiceBuilder.VERSION)
          .withKind(TraefikServiceBuilder.KIND)
          .withPlural("traefikservices")
          .withNamespaced(true)
          .build();

  private final RouterObject object;

  public TraefikRouter(KubernetesClient client) {
    this.object = new RouterObject(client, TRAEFIK_SERVICES, "query error: ");
  }

  /**
   * Creates or updates the TraefikService, then refuses {@code analysis.match} and {@code
   * analysis.mirror}: the object is written first so that the app stays reachable on the primary
   * (the target is already scaled down when the first tick gets here).
   */
  @Override
  public void reconcile(Canary canary) {
    apply(canary);
    refuseUnsupported(canary);
  }

  private void apply(Canary canary) {
    GenericKubernetesResource existing = object.get(canary);
    if (existing == null) {
      object.create(canary, TraefikServiceBuilder.build(canary));
      return;
    }
    List<?> current = TraefikServiceBuilder.services(spec(existing));
    if (!TraefikServiceBuilder.differs(current, TraefikServiceBuilder.reconciled(canary, current))
        && !ApexMetadata.outdated(existing.getMetadata(), canary)) {
      return;
    }
    object.update(
        canary,
        "update error: ",
        "",
        latest -> {
          List<?> services = TraefikServiceBuilder.services(spec(latest));
          List<Object> desired = TraefikServiceBuilder.reconciled(canary, services);
          if (TraefikServiceBuilder.differs(services, desired)) {
            latest.setAdditionalProperty("spec", withServices(spec(latest), desired));
          }
          ApexMetadata.mergeInto(latest.getMetadata(), canary);
          return latest;
        });
  }

  /** Writes the weights; {@code routes.mirrored()} is ignored, as in Flagger. */
  @Override
  public void setRoutes(Canary canary, Routes routes) {
    object.update(
        canary,
        "update error: ",
        "",
        current -> {
          Map<String, Object> spec = spec(current);
          List<Object> services =
              TraefikServiceBuilder.services(canary, routes, TraefikServiceBuilder.services(spec));
          current.setAdditionalProperty("spec", withServices(spec, services));
          return current;
        });
  }

  @Override
  public Routes getRoutes(Canary canary) {
    return TraefikServiceBuilder.routes(
        TraefikServiceBuilder.services(spec(object.require(canary))),
        canary,
        RouterObject.key(canary));
  }

  /**
   * Nothing to revert, as in Flagger: the TraefikService is Flagger's own object and goes with the
   * Canary through its owner reference.
   */
  @Override
  public void finalize(Canary canary) {}

  private static void refuseUnsupported(Canary canary) {
    CanaryAnalysis analysis = canary.getSpec().analysisOrLegacy();
    if (analysis == null) {
      return;
    }
    if (!analysis.matchOrEmpty().isEmpty()) {
      throw new RouterException(
          "analysis.match of "
              + canary.key()
              + " is not supported with the traefik provider: a TraefikService splits traffic"
              + " by weight only, so A/B testing would send all traffic to the canary; remove"
              + " analysis.match (blue/green with iterations works) or use a provider that"
              + " routes by request headers (contour, gatewayapi:v1, istio)");
    }
    if (analysis.mirrored()) {
      throw new RouterException(
          "analysis.mirror of "
              + canary.key()
              + " is not supported with the traefik provider: the weighted TraefikService"
              + " Flagger generates does not mirror traffic; remove analysis.mirror or use"
              + " istio or gatewayapi:v1");
    }
  }

  /** {@code spec} with {@code weighted.services} replaced; every other field kept. */
  private static Map<String, Object> withServices(Map<String, Object> spec, List<Object> services) {
    Map<String, Object> weighted = new LinkedHashMap<>();
    if (spec.get("weighted") instanceof Map<?, ?> current) {
      current.forEach((k, v) -> weighted.put(String.valueOf(k), v));
    }
    weighted.put("services", services);
    Map<String, Object> out = new LinkedHashMap<>(spec);
    out.put("weighted", weighted);
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource r) {
    Object spec = r.getAdditionalProperties().get("spec");
    return spec instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
  }
}
