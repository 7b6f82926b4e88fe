package app.flagger.controller.router.appmesh;

import app.flagger.controller.router.MeshRouter;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * App Mesh routing on {@code appmesh.k8s.aws/v1beta1} (Flagger's {@code AppMeshRouter}, the plain
 * {@code appmesh} provider). Reconcile, which runs before the primary exists so its pods join the
 * mesh, needs {@code service.meshName} and creates or updates:
 *
 * <ul>
 *   <li>VirtualNodes {@code <apex>} (reached at {@code <apex>-primary.<ns>}), {@code
 *       <apex>-primary} and {@code <apex>-canary} (at {@code <apex>-canary.<ns>});
 *   <li>VirtualServices {@code <apex>.<ns>} (the split, with the gateway annotations) and {@code
 *       <apex>-canary.<ns>} (all to the canary), each with its inline router and routes, updated
 *       when they changed, keeping the weights of the first route.
 * </ul>
 *
 * <p>SetRoutes and GetRoutes work on the first route of VirtualService {@code <apex>.<ns>};
 * mirroring is ignored and never reported, as in Flagger. Finalize does nothing: every object is
 * owned by the Canary.
 */
public final class AppMeshRouter implements MeshRouter {
  private static final AppMeshApi API = AppMeshApi.V1BETA1;

  private final VirtualNodes nodes;
  private final SplitObject services;

  public AppMeshRouter(KubernetesClient client) {
    this.nodes = new VirtualNodes(client, API);
    this.services =
        new SplitObject(
            client,
            API,
            API.virtualServices(),
            VirtualServiceBuilder.OWNED_V1BETA1,
            VirtualServiceBuilder::differsV1beta1);
  }

  @Override
  public void reconcile(Canary canary) {
    String meshName = CanaryMesh.service(canary).meshName();
    if (meshName == null || meshName.isEmpty()) {
      throw new RouterException(
          "spec.service.meshName of "
              + canary.key()
              + " is required with the appmesh provider: App Mesh v1beta1 objects name their"
              + " mesh (or use appmesh:v1beta2)");
    }
    String ns = CanaryMesh.ns(canary);
    String apex = CanaryMesh.apex(canary);
    String primary = CanaryMesh.primary(canary);
    String canaryName = CanaryMesh.canaryName(canary);
    String primaryHost = primary + "." + ns;
    String canaryHost = canaryName + "." + ns;
    nodes.reconcile(canary, apex, VirtualNodeBuilder.specV1beta1(canary, meshName, primaryHost));
    nodes.reconcile(canary, primary, VirtualNodeBuilder.specV1beta1(canary, meshName, primaryHost));
    nodes.reconcile(
        canary, canaryName, VirtualNodeBuilder.specV1beta1(canary, meshName, canaryHost));
    reconcileService(canary, meshName, apex + "." + ns, 0);
    reconcileService(canary, meshName, canaryHost, 100);
  }

  private void reconcileService(Canary canary, String meshName, String name, int canaryWeight) {
    Map<String, Object> desired = VirtualServiceBuilder.specV1beta1(canary, meshName, canaryWeight);
    Map<String, String> gateway = VirtualServiceBuilder.gatewayAnnotations(canary, canaryWeight);
    services.reconcile(
        canary,
        name,
        desired,
        VirtualServiceBuilder.buildV1beta1(canary, name, desired, canaryWeight),
        current -> {
          if (!gateway.isEmpty()) {
            Map<String, String> annotations = new LinkedHashMap<>();
            if (current.getMetadata().getAnnotations() != null) {
              annotations.putAll(current.getMetadata().getAnnotations());
            }
            annotations.putAll(gateway);
            current.getMetadata().setAnnotations(annotations);
          }
          return current;
        });
  }

  private static String apexService(Canary canary) {
    return CanaryMesh.apex(canary) + "." + CanaryMesh.ns(canary);
  }

  /** Sets the split of VirtualService {@code <apex>.<ns>}; {@code routes.mirrored()} is ignored. */
  @Override
  public void setRoutes(Canary canary, Routes routes) {
    services.setRoutes(canary, apexService(canary), routes);
  }

  @Override
  public Routes getRoutes(Canary canary) {
    return services.getRoutes(canary, apexService(canary));
  }

  /** Nothing to revert, as in Flagger: the App Mesh objects go with the Canary (owner refs). */
  @Override
  public void finalize(Canary canary) {}
}
