package app.flagger.controller.router.apisix;

import app.flagger.controller.router.MeshRouter;
import app.flagger.controller.router.RouterObject;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * APISIX ingress routing (Flagger's {@code ApisixRouter}): reads the {@code routeRef} ApisixRoute,
 * creates the {@code <routeRef>-<apex>-canary} ApisixRoute {@link ApisixRouteBuilder} derives from
 * it and updates its spec only when it changed in more than the backend weights (weights are
 * SetRoutes' business). Labels and annotations others add to the canary route are kept. Writes are
 * updates of the object just read, retried on a conflict.
 */
public final class ApisixRouter implements MeshRouter {
  /** The resource context of APISIX ingress controller's ApisixRoutes. */
  public static final ResourceDefinitionContext APISIX_ROUTES =
      new ResourceDefinitionContext.Builder()
          .withGroup(ApisixRouteBuilder.GROUP)
          .withVersion(ApisixRouteBuilder.VERSION)
          .withKind(ApisixRouteBuilder.KIND)
          .withPlural("apisixroutes")
          .withNamespaced(true)
          .build();

  private final RouterObject object;

  public ApisixRouter(KubernetesClient client) {
    this.object = new RouterObject(client, APISIX_ROUTES, "get query error: ");
  }

  @Override
  public void reconcile(Canary canary) {
    ApisixRouteBuilder.refuseAbTest(canary);
    GenericKubernetesResource source =
        object.require(canary, ApisixRouteBuilder.routeRefName(canary));
    Map<String, Object> desired = ApisixRouteBuilder.spec(canary, ApisixRouteBuilder.spec(source));
    String name = ApisixRouteBuilder.canaryRouteName(canary);
    GenericKubernetesResource existing = object.get(canary, name);
    if (existing == null) {
      object.create(canary, ApisixRouteBuilder.build(canary, source));
      return;
    }
    if (!ApisixRouteBuilder.differs(ApisixRouteBuilder.spec(existing), desired)) {
      return;
    }
    update(
        canary, name, current -> ApisixRouteBuilder.differs(current, desired) ? desired : current);
  }

  /** Writes the weights; {@code routes.mirrored()} is ignored, as in Flagger. */
  @Override
  public void setRoutes(Canary canary, Routes routes) {
    ApisixRouteBuilder.refuseAbTest(canary);
    String name = ApisixRouteBuilder.canaryRouteName(canary);
    update(
        canary,
        name,
        current ->
            ApisixRouteBuilder.withWeights(
                current, canary, routes, RouterObject.key(canary, name)));
  }

  /** Replaces the canary route's spec with {@code change} of its current spec. */
  private void update(Canary canary, String name, UnaryOperator<Map<String, Object>> change) {
    object.update(
        canary,
        name,
        "update error: ",
        "",
        current -> {
          current.setAdditionalProperty("spec", change.apply(ApisixRouteBuilder.spec(current)));
          return current;
        });
  }

  @Override
  public Routes getRoutes(Canary canary) {
    String name = ApisixRouteBuilder.canaryRouteName(canary);
    return ApisixRouteBuilder.routes(
        ApisixRouteBuilder.spec(object.require(canary, name)),
        canary,
        RouterObject.key(canary, name));
  }

  /**
   * Nothing to revert, as in Flagger: the canary ApisixRoute is Flagger's own object and goes with
   * the Canary through its owner reference; the {@code routeRef} ApisixRoute is never changed.
   */
  @Override
  public void finalize(Canary canary) {}
}
