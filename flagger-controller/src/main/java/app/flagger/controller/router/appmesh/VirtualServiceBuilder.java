package app.flagger.controller.router.appmesh;

import app.flagger.controller.kube.Owners;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The App Mesh VirtualServices Flagger generates. In v1beta2 (Flagger's {@code
 * reconcileVirtualRouter}) a service {@code <apex>} or {@code <apex>-canary} only points at the
 * router of the same name. In v1beta1 (Flagger's {@code reconcileVirtualService}) the services are
 * named by DNS, {@code <apex>.<namespace>} and {@code <apex>-canary.<namespace>}, and carry the
 * mesh name, the router's name and listener and the routes themselves. The apex service carries the
 * App Mesh gateway annotations when {@code service.hosts} is set. Pure.
 */
public final class VirtualServiceBuilder {
  private VirtualServiceBuilder() {}

  /** The spec keys Flagger owns in v1beta1; others are kept. */
  static final List<String> OWNED_V1BETA1 = List.of("meshName", "virtualRouter", "routes");

  /** The v1beta2 service {@code name}, provided by the router {@code name}. */
  public static GenericKubernetesResource buildV1beta2(
      Canary canary, String name, int canaryWeight) {
    Map<String, Object> spec =
        Maps.of(
            "provider",
            Maps.of("virtualRouter", Maps.of("virtualRouterRef", Maps.of("name", name))));
    return build(canary, AppMeshApi.V1BETA2, name, spec, canaryWeight);
  }

  /**
   * The v1beta1 spec of the service with {@code canaryWeight} (0 for the apex, 100 for the canary):
   * its router is {@code <apex>} or {@code <apex>-canary}.
   */
  public static Map<String, Object> specV1beta1(Canary canary, String meshName, int canaryWeight) {
    String routerName = canaryWeight > 0 ? CanaryMesh.canaryName(canary) : CanaryMesh.apex(canary);
    Map<String, Object> listener =
        Maps.of(
            "portMapping", VirtualNodeBuilder.portMapping(canary, CanaryMesh.servicePort(canary)));
    return Maps.of(
        "meshName",
        meshName,
        "virtualRouter",
        Maps.of("name", routerName, "listeners", List.of(listener)),
        "routes",
        RouteBuilder.routes(canary, AppMeshApi.V1BETA1, canaryWeight));
  }

  /** The v1beta1 service {@code name} with {@code spec}. */
  public static GenericKubernetesResource buildV1beta1(
      Canary canary, String name, Map<String, Object> spec, int canaryWeight) {
    return build(canary, AppMeshApi.V1BETA1, name, spec, canaryWeight);
  }

  private static GenericKubernetesResource build(
      Canary canary, AppMeshApi api, String name, Map<String, Object> spec, int canaryWeight) {
    ObjectMetaBuilder meta =
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(CanaryMesh.ns(canary))
            .withOwnerReferences(Owners.of(canary));
    Map<String, String> gateway = gatewayAnnotations(canary, canaryWeight);
    if (!gateway.isEmpty()) {
      meta.withAnnotations(gateway);
    }
    return Maps.object(api, "VirtualService", meta.build(), spec);
  }

  /** The gateway annotations of the apex service (none on the canary's). */
  static Map<String, String> gatewayAnnotations(Canary canary, int canaryWeight) {
    return canaryWeight == 0 ? CanaryMesh.gatewayAnnotations(canary) : Map.of();
  }

  /**
   * Whether the v1beta1 {@code current} differs from {@code desired} in what Flagger owns, ignoring
   * the weights of the weighted targets.
   */
  public static boolean differsV1beta1(Map<String, Object> current, Map<String, Object> desired) {
    return !Objects.equals(current.get("meshName"), desired.get("meshName"))
        || !Objects.equals(current.get("virtualRouter"), desired.get("virtualRouter"))
        || !Objects.equals(
            RouteBuilder.withoutWeights(current.get("routes")),
            RouteBuilder.withoutWeights(desired.get("routes")));
  }
}
