package app.flagger.controller.router.appmesh;

import app.flagger.controller.router.ApexMetadata;
import app.flagger.controller.router.RouterObject;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * Creates a virtual node, or updates it when a spec key Flagger owns or its apex metadata changed,
 * keeping the other keys and the labels and annotations others added. Shared by both routers.
 */
final class VirtualNodes {
  private final AppMeshApi api;
  private final RouterObject nodes;

  VirtualNodes(KubernetesClient client, AppMeshApi api) {
    this.api = api;
    this.nodes = new RouterObject(client, api.virtualNodes(), "get query error ");
  }

  void reconcile(Canary canary, String name, Map<String, Object> desired) {
    GenericKubernetesResource existing = nodes.get(canary, name);
    if (existing == null) {
      nodes.create(canary, VirtualNodeBuilder.build(canary, api, name, desired));
      return;
    }
    if (!VirtualNodeBuilder.differs(Maps.spec(existing), desired, api)
        && !ApexMetadata.outdated(existing.getMetadata(), canary)) {
      return;
    }
    nodes.update(
        canary,
        name,
        "update error ",
        "",
        current -> {
          current.setAdditionalProperty(
              "spec", Maps.merged(Maps.spec(current), desired, VirtualNodeBuilder.owned(api)));
          ApexMetadata.mergeInto(current.getMetadata(), canary);
          return current;
        });
  }
}
