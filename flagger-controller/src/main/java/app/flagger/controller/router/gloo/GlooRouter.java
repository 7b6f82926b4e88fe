package app.flagger.controller.router.gloo;

import app.flagger.controller.router.ApexMetadata;
import app.flagger.controller.router.MeshRouter;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.RouterObject;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import app.flagger.model.common.CrossNamespaceObjectReference;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gloo Edge routing (Flagger's {@code GlooRouter}, every {@code gloo*} provider): the primary and
 * canary Upstreams of {@link GlooUpstreamBuilder} and the RouteTable {@code <apex>} of {@link
 * RouteTableBuilder}, which a Gloo VirtualService delegates to. Reconcile creates what is missing,
 * keeps the Upstreams' copied settings in step with the {@code upstreamRef} Upstream and updates
 * the RouteTable only when its routes changed other than in weights. Other spec fields, labels and
 * annotations users add are kept. Writes are updates of the object just read, retried on a
 * conflict.
 */
public final class GlooRouter implements MeshRouter {
  /** The resource context of Gloo Upstreams. */
  public static final ResourceDefinitionContext UPSTREAMS =
      new ResourceDefinitionContext.Builder()
          .withGroup(GlooUpstreamBuilder.GROUP)
          .withVersion(GlooUpstreamBuilder.VERSION)
          .withKind(GlooUpstreamBuilder.KIND)
          .withPlural("upstreams")
          .withNamespaced(true)
          .build();

  /** The resource context of Gloo RouteTables. */
  public static final ResourceDefinitionContext ROUTE_TABLES =
      new ResourceDefinitionContext.Builder()
          .withGroup(RouteTableBuilder.GROUP)
          .withVersion(RouteTableBuilder.VERSION)
          .withKind(RouteTableBuilder.KIND)
          .withPlural("routetables")
          .withNamespaced(true)
          .build();

  private final KubernetesClient client;
  private final RouterObject upstreams;
  private final RouterObject routeTables;

  public GlooRouter(KubernetesClient client) {
    this.client = client;
    this.upstreams = new RouterObject(client, UPSTREAMS, "get query error: ");
    this.routeTables = new RouterObject(client, ROUTE_TABLES, "get query error: ");
  }

  @Override
  public void reconcile(Canary canary) {
    Map<String, Object> config = configSpec(canary);
    String apex = canary.getSpec().apexName();
    upstream(canary, GlooUpstreamBuilder.primaryName(canary), apex + "-primary", config, "primary");
    upstream(canary, GlooUpstreamBuilder.canaryName(canary), apex + "-canary", config, "canary");

    GenericKubernetesResource existing = routeTables.get(canary);
    if (existing == null) {
      routeTables.create(canary, RouteTableBuilder.build(canary));
      return;
    }
    if (!RouteTableBuilder.differs(spec(existing), canary)
        && !ApexMetadata.outdated(existing.getMetadata(), canary)) {
      return;
    }
    routeTables.update(
        canary,
        "update error: ",
        "",
        current -> {
          Map<String, Object> spec = spec(current);
          if (RouteTableBuilder.differs(spec, canary)) {
            current.setAdditionalProperty(
                "spec", withRoutes(spec, canary, RouteTableBuilder.held(spec, canary)));
          }
          ApexMetadata.mergeInto(current.getMetadata(), canary);
          return current;
        });
  }

  /** Writes the weights; {@code routes.mirrored()} is ignored, as in Flagger. */
  @Override
  public void setRoutes(Canary canary, Routes routes) {
    routeTables.update(
        canary,
        "update error: ",
        "",
        current -> {
          current.setAdditionalProperty("spec", withRoutes(spec(current), canary, routes));
          return current;
        });
  }

  @Override
  public Routes getRoutes(Canary canary) {
    return RouteTableBuilder.weights(
        spec(routeTables.require(canary)), canary, RouterObject.key(canary));
  }

  /**
   * Nothing to revert, as in Flagger: the Upstreams and the RouteTable are Flagger's own objects
   * and go with the Canary through their owner references.
   */
  @Override
  public void finalize(Canary canary) {}

  /**
   * Creates the Upstream {@code name} on the Service {@code service} when missing; otherwise, with
   * an {@code upstreamRef}, brings its copied settings in step with the referenced Upstream.
   */
  private void upstream(
      Canary canary, String name, String service, Map<String, Object> config, String role) {
    try {
      GenericKubernetesResource existing = upstreams.get(canary, name);
      if (existing == null) {
        Service svc = service(canary, service);
        upstreams.create(
            canary,
            GlooUpstreamBuilder.build(canary, name, service, svc.getSpec().getSelector(), config));
        return;
      }
      if (config == null || !GlooUpstreamBuilder.outdated(spec(existing), config)) {
        return;
      }
      upstreams.update(
          canary,
          name,
          "update error: ",
          "",
          current -> {
            current.setAdditionalProperty(
                "spec", GlooUpstreamBuilder.synced(spec(current), config));
            return current;
          });
    } catch (RouterException e) {
      throw new RouterException(
          "error creating flagger " + role + " upstream: " + e.getMessage(), e);
    }
  }

  private Service service(Canary canary, String name) {
    String ns = canary.getMetadata().getNamespace();
    Service svc;
    try {
      svc = client.services().inNamespace(ns).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new RouterException(
          "service " + name + "." + ns + " get query error: " + e.getMessage(), e);
    }
    if (svc == null) {
      throw new RouterException(
          "service " + name + "." + ns + " get query error: services \"" + name + "\" not found");
    }
    return svc;
  }

  /**
   * The spec of the {@code upstreamRef} Upstream (in the Canary's namespace when the reference
   * names none), or null without a reference.
   */
  private Map<String, Object> configSpec(Canary canary) {
    CrossNamespaceObjectReference ref = canary.getSpec().upstreamRef();
    if (ref == null) {
      return null;
    }
    String ns =
        ref.namespace() == null || ref.namespace().isEmpty()
            ? canary.getMetadata().getNamespace()
            : ref.namespace();
    String prefix = "config upstream " + ref.name() + "." + ns + " get query error: ";
    GenericKubernetesResource config;
    try {
      config =
          client.genericKubernetesResources(UPSTREAMS).inNamespace(ns).withName(ref.name()).get();
    } catch (KubernetesClientException e) {
      throw new RouterException(prefix + e.getMessage(), e);
    }
    if (config == null) {
      throw new RouterException(
          prefix + "upstreams." + GlooUpstreamBuilder.GROUP + " \"" + ref.name() + "\" not found");
    }
    return spec(config);
  }

  private static Map<String, Object> withRoutes(
      Map<String, Object> spec, Canary canary, Routes weights) {
    Map<String, Object> out = new LinkedHashMap<>(spec);
    out.put(RouteTableBuilder.ROUTES, RouteTableBuilder.routes(canary, weights));
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource r) {
    Object spec = r.getAdditionalProperties().get("spec");
    return spec instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
  }
}
