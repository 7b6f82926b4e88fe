package app.flagger.controller.router.appmesh;

import app.flagger.controller.router.MeshRouter;
import app.flagger.controller.router.RouterObject;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * App Mesh routing on {@code appmesh.k8s.aws/v1beta2} (Flagger's {@code AppMeshv1beta2Router}, the
 * {@code appmesh:v1beta2} provider). Reconcile, which runs before the primary exists so its pods
 * join the mesh, creates or updates:
 *
 * <ul>
 *   <li>VirtualNodes {@code <apex>-primary} and {@code <apex>-canary} (DNS {@code
 *       <apex>-primary.<ns>.svc.cluster.local.}, pods {@code <label>: <target>-primary} and {@code
 *       <label>: <target>});
 *   <li>VirtualRouters {@code <apex>} (the split) and {@code <apex>-canary} (all to the canary),
 *       updated when listeners or routes changed, keeping the weights of the first route;
 *   <li>VirtualServices {@code <apex>} and {@code <apex>-canary} pointing at them (created once,
 *       the apex one with the gateway annotations).
 * </ul>
 *
 * <p>SetRoutes and GetRoutes work on the first route of VirtualRouter {@code <apex>}; mirroring is
 * ignored and never reported, as in Flagger. Finalize does nothing: every object is owned by the
 * Canary.
 */
public final class AppMeshV1beta2Router implements MeshRouter {
  private static final AppMeshApi API = AppMeshApi.V1BETA2;

  private final Function<Canary, String> selectorLabel;
  private final VirtualNodes nodes;
  private final SplitObject routers;
  private final RouterObject services;

  /**
   * @param client the Kubernetes client
   * @param selectorLabel the selector label of a Canary's target ({@code app}, ...), which the
   *     virtual nodes select pods by
   */
  public AppMeshV1beta2Router(KubernetesClient client, Function<Canary, String> selectorLabel) {
    this.selectorLabel = selectorLabel;
    this.nodes = new VirtualNodes(client, API);
    this.routers =
        new SplitObject(
            client,
            API,
            API.virtualRouters(),
            VirtualRouterBuilder.OWNED,
            VirtualRouterBuilder::differs);
    this.services = new RouterObject(client, API.virtualServices(), "get query error: ");
  }

  @Override
  public void reconcile(Canary canary) {
    String label = selectorLabel.apply(canary);
    String target = canary.getSpec().targetRef().name();
    String primary = CanaryMesh.primary(canary);
    String canaryName = CanaryMesh.canaryName(canary);
    nodes.reconcile(
        canary,
        primary,
        VirtualNodeBuilder.specV1beta2(canary, fqdn(canary, primary), label, target + "-primary"));
    nodes.reconcile(
        canary,
        canaryName,
        VirtualNodeBuilder.specV1beta2(canary, fqdn(canary, canaryName), label, target));
    reconcileRouter(canary, CanaryMesh.apex(canary), 0);
    reconcileRouter(canary, canaryName, 100);
  }

  private static String fqdn(Canary canary, String service) {
    return service + "." + CanaryMesh.ns(canary) + ".svc.cluster.local.";
  }

  private void reconcileRouter(Canary canary, String name, int canaryWeight) {
    Map<String, Object> desired = VirtualRouterBuilder.spec(canary, canaryWeight);
    routers.reconcile(
        canary,
        name,
        desired,
        VirtualRouterBuilder.build(canary, name, desired),
        UnaryOperator.identity());
    if (services.get(canary, name) == null) {
      services.create(canary, VirtualServiceBuilder.buildV1beta2(canary, name, canaryWeight));
    }
  }

  /** Sets the split of VirtualRouter {@code <apex>}; {@code routes.mirrored()} is ignored. */
  @Override
  public void setRoutes(Canary canary, Routes routes) {
    routers.setRoutes(canary, CanaryMesh.apex(canary), routes);
  }

  @Override
  public Routes getRoutes(Canary canary) {
    return routers.getRoutes(canary, CanaryMesh.apex(canary));
  }

  /** Nothing to revert, as in Flagger: the App Mesh objects go with the Canary (owner refs). */
  @Override
  public void finalize(Canary canary) {}
}
