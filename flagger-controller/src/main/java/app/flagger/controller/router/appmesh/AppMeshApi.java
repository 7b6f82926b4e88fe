package app.flagger.controller.router.appmesh;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The App Mesh controller's API ({@code appmesh.k8s.aws}) in the two versions Flagger writes:
 * {@code v1beta1} for the {@code appmesh} provider (virtual nodes and virtual services that embed
 * their router), {@code v1beta2} for {@code appmesh:v1beta2} (virtual nodes, virtual routers and
 * virtual services that point at a router).
 */
public enum AppMeshApi {
  V1BETA1("v1beta1"),
  V1BETA2("v1beta2");

  public static final String GROUP = "appmesh.k8s.aws";

  private final String version;

  AppMeshApi(String version) {
    this.version = version;
  }

  public String version() {
    return version;
  }

  public String apiVersion() {
    return GROUP + "/" + version;
  }

  /** The resource context of VirtualNodes. */
  public ResourceDefinitionContext virtualNodes() {
    return context("VirtualNode", "virtualnodes");
  }

  /** The resource context of VirtualServices. */
  public ResourceDefinitionContext virtualServices() {
    return context("VirtualService", "virtualservices");
  }

  /** The resource context of VirtualRouters; {@code v1beta1} has none (its routers are inline). */
  public ResourceDefinitionContext virtualRouters() {
    if (this == V1BETA1) {
      throw new IllegalStateException("appmesh.k8s.aws/v1beta1 has no VirtualRouter kind");
    }
    return context("VirtualRouter", "virtualrouters");
  }

  /** The key of an HTTP route in a route: {@code http} in v1beta1, {@code httpRoute} in v1beta2. */
  String httpRouteKey() {
    return this == V1BETA1 ? "http" : "httpRoute";
  }

  private ResourceDefinitionContext context(String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(GROUP)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }
}
