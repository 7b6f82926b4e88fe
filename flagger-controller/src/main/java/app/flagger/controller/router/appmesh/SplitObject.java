package app.flagger.controller.router.appmesh;

import app.flagger.controller.router.RouterObject;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;

/**
 * The objects of one kind that carry a split in their routes (v1beta2 VirtualRouters, v1beta1
 * VirtualServices): created when missing, updated when what Flagger owns changed (weights aside)
 * while keeping the first route's weights, and the weights read and written by GetRoutes and
 * SetRoutes. Shared by both routers.
 */
final class SplitObject {
  private final AppMeshApi api;
  private final String kind;
  private final RouterObject objects;
  private final List<String> owned;
  private final BiPredicate<Map<String, Object>, Map<String, Object>> differs;

  /**
   * @param context the kind's resource context
   * @param owned the spec keys Flagger owns; others are kept
   * @param differs whether a current spec differs from the desired one, weights aside
   */
  SplitObject(
      KubernetesClient client,
      AppMeshApi api,
      ResourceDefinitionContext context,
      List<String> owned,
      BiPredicate<Map<String, Object>, Map<String, Object>> differs) {
    this.api = api;
    this.kind = context.getKind();
    this.objects = new RouterObject(client, context, "get query error: ");
    this.owned = owned;
    this.differs = differs;
  }

  /**
   * Creates {@code created} when {@code name} is missing, else updates its spec to {@code desired}
   * (keeping the weights) when it differs, then applies {@code metadata} to it as well.
   */
  void reconcile(
      Canary canary,
      String name,
      Map<String, Object> desired,
      GenericKubernetesResource created,
      UnaryOperator<GenericKubernetesResource> metadata) {
    GenericKubernetesResource existing = objects.get(canary, name);
    if (existing == null) {
      objects.create(canary, created);
      return;
    }
    if (!differs.test(Maps.spec(existing), desired)) {
      return;
    }
    objects.update(
        canary,
        name,
        "update error: ",
        "",
        current -> {
          Map<String, Object> spec = Maps.spec(current);
          if (differs.test(spec, desired)) {
            current.setAdditionalProperty(
                "spec", Maps.merged(spec, RouteBuilder.keepingAction(desired, spec, api), owned));
          }
          return metadata.apply(current);
        });
  }

  void setRoutes(Canary canary, String name, Routes routes) {
    objects.update(
        canary,
        name,
        "update error: ",
        "",
        current -> {
          current.setAdditionalProperty(
              "spec",
              RouteBuilder.withWeights(
                  Maps.spec(current),
                  canary,
                  api,
                  routes,
                  kind + " " + RouterObject.key(canary, name)));
          return current;
        });
  }

  Routes getRoutes(Canary canary, String name) {
    return RouteBuilder.read(
        Maps.spec(objects.require(canary, name)),
        canary,
        api,
        kind,
        RouterObject.key(canary, name));
  }
}
