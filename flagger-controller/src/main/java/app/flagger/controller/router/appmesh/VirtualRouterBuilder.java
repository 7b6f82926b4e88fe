package app.flagger.controller.router.appmesh;

import app.flagger.controller.kube.Owners;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The App Mesh v1beta2 VirtualRouters Flagger generates (Flagger's {@code reconcileVirtualRouter}):
 * {@code <apex>} (the split the analysis moves) and {@code <apex>-canary} (everything to the canary
 * node), each with one listener on the container port and the routes of {@link RouteBuilder}. As in
 * Flagger they carry only the Canary as owner, no labels or annotations. Pure.
 */
public final class VirtualRouterBuilder {
  private VirtualRouterBuilder() {}

  /** The spec keys Flagger owns; {@code awsName}, {@code meshRef} and any other key are kept. */
  static final List<String> OWNED = List.of("listeners", "routes");

  /** The spec of the router with {@code canaryWeight} (0 for the apex, 100 for the canary). */
  public static Map<String, Object> spec(Canary canary, int canaryWeight) {
    Map<String, Object> listener =
        Maps.of(
            "portMapping",
            VirtualNodeBuilder.portMapping(canary, CanaryMesh.containerPort(canary)));
    return Maps.of(
        "listeners",
        List.of(listener),
        "routes",
        RouteBuilder.routes(canary, AppMeshApi.V1BETA2, canaryWeight));
  }

  public static GenericKubernetesResource build(
      Canary canary, String name, Map<String, Object> spec) {
    return Maps.object(
        AppMeshApi.V1BETA2,
        "VirtualRouter",
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(CanaryMesh.ns(canary))
            .withOwnerReferences(Owners.of(canary))
            .build(),
        spec);
  }

  /**
   * Whether {@code current} differs from {@code desired} in what Flagger owns, ignoring the weights
   * of the weighted targets.
   */
  public static boolean differs(Map<String, Object> current, Map<String, Object> desired) {
    return !Objects.equals(current.get("listeners"), desired.get("listeners"))
        || !Objects.equals(
            RouteBuilder.withoutWeights(current.get("routes")),
            RouteBuilder.withoutWeights(desired.get("routes")));
  }
}
