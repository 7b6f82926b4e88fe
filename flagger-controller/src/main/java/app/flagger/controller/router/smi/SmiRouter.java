package app.flagger.controller.router.smi;

import app.flagger.controller.router.MeshRouter;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.RouterObject;
import app.flagger.controller.router.Routes;
import app.flagger.controller.router.smi.TrafficSplitBuilder.Version;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SMI traffic splitting (Flagger's {@code SmiRouter} for {@code linkerd} and {@code
 * smi:v1alpha1[:mesh]}, {@code Smiv1alpha2Router} for {@code osm} and {@code smi:v1alpha2[:mesh]},
 * {@code Smiv1alpha3Router} for {@code smi:v1alpha3[:mesh]}): one TrafficSplit {@code <apex>} built
 * by {@link TrafficSplitBuilder}, created by Reconcile and updated only when its service or
 * backends changed (weights are SetRoutes' business). Writes are updates of the object just read,
 * retried on a conflict.
 *
 * <p>A TrafficSplit has no request matches, so A/B testing cannot run on it: Flagger would send all
 * traffic to the canary during the iterations. A Canary with {@code analysis.match} is refused with
 * an error naming the provider instead.
 */
public final class SmiRouter implements MeshRouter {
  private final Version version;
  private final String provider;
  private final String targetMesh;
  private final RouterObject object;

  /**
   * @param client the Kubernetes client
   * @param version the TrafficSplit API version this router reads and writes
   * @param provider the provider string, named in errors ({@code linkerd}, {@code smi:v1alpha2})
   * @param targetMesh the mesh behind the SMI API ({@code linkerd}, {@code osm}, the {@code :mesh}
   *     suffix); {@code istio} adds Flagger's gateways annotation
   */
  public SmiRouter(KubernetesClient client, Version version, String provider, String targetMesh) {
    this.version = version;
    this.provider = provider;
    this.targetMesh = targetMesh;
    this.object = new RouterObject(client, trafficSplits(version), "get query error ");
  }

  /** The resource context of TrafficSplits in {@code version}. */
  public static ResourceDefinitionContext trafficSplits(Version version) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(TrafficSplitBuilder.GROUP)
        .withVersion(version.value())
        .withKind(TrafficSplitBuilder.KIND)
        .withPlural("trafficsplits")
        .withNamespaced(true)
        .build();
  }

  public Version version() {
    return version;
  }

  public String targetMesh() {
    return targetMesh;
  }

  @Override
  public void reconcile(Canary canary) {
    refuseMatches(canary);
    Map<String, Object> desired = TrafficSplitBuilder.spec(canary, version);
    GenericKubernetesResource existing = object.get(canary);
    if (existing == null) {
      object.create(canary, TrafficSplitBuilder.build(canary, version, targetMesh));
      return;
    }
    if (!TrafficSplitBuilder.differsIgnoringWeights(spec(existing), desired, version)) {
      return;
    }
    object.update(
        canary,
        "update error: ",
        "",
        current -> {
          if (TrafficSplitBuilder.differsIgnoringWeights(spec(current), desired, version)) {
            current.setAdditionalProperty("spec", desired);
          }
          return current;
        });
  }

  private void refuseMatches(Canary canary) {
    CanaryAnalysis analysis = canary.getSpec().analysisOrLegacy();
    if (analysis != null && !analysis.matchOrEmpty().isEmpty()) {
      throw new RouterException(
          "analysis.match of "
              + canary.key()
              + " is not supported with the "
              + provider
              + " provider: a TrafficSplit cannot route by request, so A/B testing would send"
              + " all traffic to the canary; remove analysis.match or route through an ingress"
              + " provider");
    }
  }

  /**
   * Replaces the backends with {@code routes}' weights; {@code mirrored} is ignored, as Flagger.
   */
  @Override
  public void setRoutes(Canary canary, Routes routes) {
    object.update(
        canary,
        "update error ",
        "",
        current -> {
          Map<String, Object> spec = new LinkedHashMap<>(spec(current));
          spec.put("backends", TrafficSplitBuilder.backends(canary, version, routes));
          current.setAdditionalProperty("spec", spec);
          return current;
        });
  }

  @Override
  public Routes getRoutes(Canary canary) {
    return TrafficSplitBuilder.routes(
        spec(object.require(canary)), canary, RouterObject.key(canary));
  }

  /**
   * Nothing to revert: as in Flagger, the TrafficSplit is Flagger's own object and goes with the
   * Canary through its owner reference.
   */
  @Override
  public void finalize(Canary canary) {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource r) {
    Object spec = r.getAdditionalProperties().get("spec");
    return spec instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
  }
}
