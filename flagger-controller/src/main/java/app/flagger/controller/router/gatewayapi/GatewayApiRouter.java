package app.flagger.controller.router.gatewayapi;

import app.flagger.controller.router.ApexMetadata;
import app.flagger.controller.router.MeshRouter;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.RouterObject;
import app.flagger.controller.router.Routes;
import app.flagger.controller.router.gatewayapi.HttpRouteBuilder.Version;
import app.flagger.controller.router.istio.SessionCookies;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Gateway API traffic routing (Flagger's {@code GatewayAPIRouter} for {@code gatewayapi:v1} and
 * {@code GatewayAPIV1Beta1Router} for {@code gatewayapi:v1beta1}): one HTTPRoute {@code <apex>}
 * built by {@link HttpRouteBuilder}, created by Reconcile and updated only when what Flagger owns
 * changed (weights are SetRoutes' business). Flagger owns {@code parentRefs}, {@code hostnames} and
 * {@code rules}; other spec fields, annotations and labels users or gateway controllers add are
 * kept. Writes are updates of the object just read, retried on a conflict.
 */
public final class GatewayApiRouter implements MeshRouter {
  private final Version version;
  private final RandomGenerator random;
  private final RouterObject object;

  /**
   * @param client the Kubernetes client
   * @param version the HTTPRoute API version this router reads and writes
   * @param random source of session-affinity cookie values
   */
  public GatewayApiRouter(KubernetesClient client, Version version, RandomGenerator random) {
    this.version = version;
    this.random = random;
    this.object = new RouterObject(client, httpRoutes(version), "get error: ");
  }

  /** The resource context of HTTPRoutes in {@code version}. */
  public static ResourceDefinitionContext httpRoutes(Version version) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(HttpRouteBuilder.GROUP)
        .withVersion(version.value())
        .withKind("HTTPRoute")
        .withPlural("httproutes")
        .withNamespaced(true)
        .build();
  }

  public Version version() {
    return version;
  }

  @Override
  public void reconcile(Canary canary) {
    var refs = HttpRouteBuilder.service(canary).gatewayRefs();
    if (refs == null || refs.isEmpty()) {
      throw new RouterException(
          "GatewayRefs must be specified when using Gateway API as a provider.");
    }
    Map<String, Object> desired = HttpRouteBuilder.spec(canary, version);
    GenericKubernetesResource existing = object.get(canary);
    if (existing == null) {
      object.create(canary, HttpRouteBuilder.build(canary, version));
      return;
    }
    if (!needsUpdate(existing, desired, canary)) {
      return;
    }
    object.update(
        canary,
        "update error: ",
        " while reconciling",
        current -> {
          if (HttpRouteDiff.differs(spec(current), desired, canary)) {
            current.setAdditionalProperty("spec", merged(spec(current), desired));
          }
          ApexMetadata.mergeInto(current.getMetadata(), canary);
          return current;
        });
  }

  private static boolean needsUpdate(
      GenericKubernetesResource existing, Map<String, Object> desired, Canary canary) {
    if (HttpRouteDiff.differs(spec(existing), desired, canary)) {
      return true;
    }
    return ApexMetadata.outdated(existing.getMetadata(), canary);
  }

  /** The current spec with Flagger's fields replaced and any other field kept. */
  private static Map<String, Object> merged(
      Map<String, Object> current, Map<String, Object> desired) {
    Map<String, Object> out = new LinkedHashMap<>(current);
    for (String key : new String[] {"parentRefs", "hostnames", "rules"}) {
      out.remove(key);
      if (desired.containsKey(key)) {
        out.put(key, desired.get(key));
      }
    }
    return out;
  }

  @Override
  public void setRoutes(Canary canary, Routes routes) {
    SessionCookies cookies = SessionCookies.next(canary, routes.canaryWeight(), random);
    Map<String, Object> desired = HttpRouteBuilder.spec(canary, version, routes, cookies);
    object.update(
        canary,
        "update error: ",
        " while setting weights",
        current -> {
          current.setAdditionalProperty("spec", merged(spec(current), desired));
          return current;
        });
  }

  @Override
  public Routes getRoutes(Canary canary) {
    GenericKubernetesResource route = object.require(canary);
    Map<String, Object> spec = spec(route);
    if (version == Version.V1) {
      Long generation = route.getMetadata().getGeneration();
      HttpRouteDiff.checkParents(
          spec, status(route), generation == null ? 0L : generation, key(canary));
    }
    return HttpRouteDiff.routes(spec, canary, key(canary));
  }

  /**
   * Nothing to revert: as in Flagger, the HTTPRoute is Flagger's own object and goes with the
   * Canary through its owner reference.
   */
  @Override
  public void finalize(Canary canary) {}

  private static String key(Canary canary) {
    return RouterObject.key(canary);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource r) {
    Object spec = r.getAdditionalProperties().get("spec");
    return spec instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(GenericKubernetesResource r) {
    Object status = r.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }
}
