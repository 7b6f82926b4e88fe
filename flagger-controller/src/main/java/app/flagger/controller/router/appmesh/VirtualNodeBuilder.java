package app.flagger.controller.router.appmesh;

import app.flagger.controller.kube.Owners;
import app.flagger.controller.router.ApexMetadata;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The App Mesh VirtualNodes Flagger generates (Flagger's {@code reconcileVirtualNode}): one
 * listener on the service's port, DNS service discovery of a Kubernetes service, the Canary's
 * backends and, with the {@code appmesh.flagger.app/accesslog: enabled} annotation, an access log
 * to stdout. v1beta1 nodes name their mesh ({@code service.meshName}) and listen on {@code
 * service.port}; v1beta2 nodes select their pods with the target's selector label, listen on the
 * container port with {@code service.timeout} as the listener's request timeout, and refer to
 * backends by name or ARN. The nodes carry the {@code service.apex} metadata, the Flux opt-out
 * annotations and the Canary as owner. Pure.
 */
public final class VirtualNodeBuilder {
  private VirtualNodeBuilder() {}

  /** The spec keys Flagger owns in v1beta1; others (added by users or controllers) are kept. */
  static final List<String> OWNED_V1BETA1 =
      List.of("meshName", "listeners", "serviceDiscovery", "backends", "logging");

  /**
   * The spec keys Flagger owns in v1beta2; {@code awsName} and {@code meshRef}, which the App Mesh
   * controller fills in, and any other key are kept.
   */
  static final List<String> OWNED_V1BETA2 =
      List.of("listeners", "serviceDiscovery", "podSelector", "backends", "logging");

  /**
   * The v1beta1 spec of a node reached at {@code host} ({@code <service>.<namespace>}).
   *
   * @param meshName {@code service.meshName}, checked by the router
   */
  public static Map<String, Object> specV1beta1(Canary canary, String meshName, String host) {
    Map<String, Object> spec = Maps.of("meshName", meshName);
    spec.put(
        "listeners",
        List.of(Maps.of("portMapping", portMapping(canary, CanaryMesh.servicePort(canary)))));
    spec.put("serviceDiscovery", Maps.of("dns", Maps.of("hostName", host)));
    List<Object> backends = new ArrayList<>();
    for (String b : CanaryMesh.backends(canary)) {
      backends.add(Maps.of("virtualService", Maps.of("virtualServiceName", b)));
    }
    return withLogAndBackends(spec, canary, backends);
  }

  /**
   * The v1beta2 spec of a node reached at {@code host} (a cluster FQDN) whose pods carry {@code
   * label: podSelector}.
   */
  public static Map<String, Object> specV1beta2(
      Canary canary, String host, String label, String podSelector) {
    Map<String, Object> listener =
        Maps.of("portMapping", portMapping(canary, CanaryMesh.containerPort(canary)));
    CanaryMesh.timeoutMillis(canary)
        .ifPresent(
            ms ->
                listener.put(
                    "timeout", Maps.of("http", Maps.of("perRequest", CanaryMesh.millis(ms)))));
    Map<String, Object> spec = Maps.of("listeners", List.of(listener));
    spec.put("serviceDiscovery", Maps.of("dns", Maps.of("hostname", host)));
    spec.put("podSelector", Maps.of("matchLabels", Maps.of(label, podSelector)));
    List<Object> backends = new ArrayList<>();
    for (String b : CanaryMesh.backends(canary)) {
      backends.add(
          Maps.of(
              "virtualService",
              b.startsWith("arn:aws")
                  ? Maps.of("virtualServiceARN", b)
                  : Maps.of("virtualServiceRef", Maps.of("name", b))));
    }
    return withLogAndBackends(spec, canary, backends);
  }

  private static Map<String, Object> withLogAndBackends(
      Map<String, Object> spec, Canary canary, List<Object> backends) {
    if (CanaryMesh.accessLog(canary)) {
      spec.put("logging", CanaryMesh.logging());
    }
    if (!backends.isEmpty()) {
      spec.put("backends", backends);
    }
    return spec;
  }

  static Map<String, Object> portMapping(Canary canary, int port) {
    return Maps.of("port", port, "protocol", CanaryMesh.protocol(canary));
  }

  /** The node {@code name} with {@code spec}, its metadata and owner. */
  public static GenericKubernetesResource build(
      Canary canary, AppMeshApi api, String name, Map<String, Object> spec) {
    return Maps.object(
        api,
        "VirtualNode",
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(CanaryMesh.ns(canary))
            .withLabels(ApexMetadata.labels(canary))
            .withAnnotations(ApexMetadata.annotations(canary))
            .withOwnerReferences(Owners.of(canary))
            .build(),
        spec);
  }

  static List<String> owned(AppMeshApi api) {
    return api == AppMeshApi.V1BETA1 ? OWNED_V1BETA1 : OWNED_V1BETA2;
  }

  /** Whether {@code current} differs from {@code desired} in a key Flagger owns. */
  public static boolean differs(
      Map<String, Object> current, Map<String, Object> desired, AppMeshApi api) {
    for (String key : owned(api)) {
      if (!Objects.equals(current.get(key), desired.get(key))) {
        return true;
      }
    }
    return false;
  }
}
