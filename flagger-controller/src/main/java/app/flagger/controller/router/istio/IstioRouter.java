package app.flagger.controller.router.istio;

import static app.flagger.controller.router.istio.IstioVirtualServiceBuilder.baselineName;
import static app.flagger.controller.router.istio.IstioVirtualServiceBuilder.canaryName;
import static app.flagger.controller.router.istio.IstioVirtualServiceBuilder.primaryName;

import app.flagger.controller.kube.Conflicts;
import app.flagger.controller.router.CustomObjects;
import app.flagger.controller.router.MeshRouter;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * Istio traffic routing (Flagger's {@code IstioRouter}): DestinationRules {@code <apex>-primary}
 * and {@code <apex>-canary} (and {@code <apex>-baseline} with {@code analysis.baseline}) and the
 * VirtualService {@code <apex>}, built by the pure builders and applied with get/create/update.
 * Only the fields Flagger owns ({@code hosts}, {@code gateways}, {@code http}, {@code tcp}, {@code
 * host}, {@code trafficPolicy}, its labels and annotations) are written; anything else users put on
 * the objects is kept.
 */
public final class IstioRouter implements MeshRouter {
  private final KubernetesClient client;
  private final RandomGenerator random;
  private final CustomObjects objects;

  /**
   * A router that reads its objects from the API server every time.
   *
   * @param client the Kubernetes client
   * @param random source of session-affinity cookie values
   */
  public IstioRouter(KubernetesClient client, RandomGenerator random) {
    this(client, random, CustomObjects.direct(client));
  }

  /**
   * @param objects where the VirtualServices and DestinationRules are read from (a watch, in the
   *     controller); updates computed from a stale copy are retried from a fresh read
   */
  public IstioRouter(KubernetesClient client, RandomGenerator random, CustomObjects objects) {
    this.client = client;
    this.random = random;
    this.objects = objects;
  }

  @Override
  public void reconcile(Canary canary) {
    reconcileDestinationRule(canary, canaryName(canary));
    reconcileDestinationRule(canary, primaryName(canary));
    if (canary.getSpec().analysisOrEmpty().usesBaseline()) {
      reconcileDestinationRule(canary, baselineName(canary));
    }
    reconcileVirtualService(canary);
  }

  private void reconcileDestinationRule(Canary canary, String name) {
    String ns = canary.getMetadata().getNamespace();
    try {
      edit(
          IstioObjects.DESTINATION_RULES,
          ns,
          name,
          existing -> {
            GenericKubernetesResource desired = IstioDestinationRuleBuilder.build(canary, name);
            if (existing == null) {
              return desired;
            }
            Map<String, Object> spec = spec(existing);
            Map<String, Object> wanted = spec(desired);
            Map<String, Object> merged = new LinkedHashMap<>(spec);
            merged.put("host", wanted.get("host"));
            merged.remove("trafficPolicy");
            if (wanted.containsKey("trafficPolicy")) {
              merged.put("trafficPolicy", wanted.get("trafficPolicy"));
            }
            if (merged.equals(spec)) {
              return null;
            }
            existing.setAdditionalProperty("spec", merged);
            return existing;
          });
    } catch (KubernetesClientException e) {
      throw new RouterException(
          "DestinationRule " + name + "." + ns + " reconcile failed: " + e.getMessage(), e);
    }
  }

  private void reconcileVirtualService(Canary canary) {
    String apex = canary.getSpec().apexName();
    String ns = canary.getMetadata().getNamespace();
    try {
      edit(
          IstioObjects.VIRTUAL_SERVICES,
          ns,
          apex,
          existing -> {
            if (existing == null) {
              return IstioVirtualServiceBuilder.build(canary);
            }
            Map<String, Object> current = spec(existing);
            Map<String, Object> desired = IstioVirtualServiceBuilder.spec(canary);
            boolean affinity = hasSessionAffinity(canary);
            boolean specChanged =
                !VirtualServiceDiff.comparable(desired, affinity, baselineName(canary))
                    .equals(VirtualServiceDiff.comparable(current, affinity, baselineName(canary)));
            boolean metaChanged = VirtualServiceDiff.mergeMetadata(existing, canary);
            if (specChanged) {
              VirtualServiceDiff.keepOriginal(existing, canary, current);
              Map<String, Object> merged = new LinkedHashMap<>(current);
              for (String key : List.of("hosts", "gateways", "http", "tcp")) {
                merged.remove(key);
                if (desired.containsKey(key)) {
                  merged.put(key, desired.get(key));
                }
              }
              existing.setAdditionalProperty("spec", merged);
            }
            return specChanged || metaChanged ? existing : null;
          });
    } catch (KubernetesClientException e) {
      throw new RouterException(
          "VirtualService " + apex + "." + ns + " reconcile failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void setRoutes(Canary canary, Routes routes) {
    String apex = canary.getSpec().apexName();
    String ns = canary.getMetadata().getNamespace();
    GenericKubernetesResource first = get(canary);
    try {
      edit(
          IstioObjects.VIRTUAL_SERVICES,
          ns,
          apex,
          first,
          vs -> {
            if (vs == null) {
              throw notFound(apex, ns);
            }
            Map<String, Object> spec = new LinkedHashMap<>(spec(vs));
            if (IstioVirtualServiceBuilder.isTcp(canary)) {
              spec.put(
                  "tcp",
                  IstioVirtualServiceBuilder.tcpRoutes(
                      canary, routes.primaryWeight(), routes.canaryWeight()));
            } else {
              SessionCookies cookies = SessionCookies.next(canary, routes.canaryWeight(), random);
              spec.put("http", IstioVirtualServiceBuilder.httpRoutes(canary, routes, cookies));
            }
            vs.setAdditionalProperty("spec", spec);
            return vs;
          });
    } catch (KubernetesClientException e) {
      throw new RouterException(
          "VirtualService " + apex + "." + ns + " update failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Routes getRoutes(Canary canary) {
    GenericKubernetesResource vs = get(canary);
    return VirtualServiceDiff.routes(
        spec(vs),
        canary.getSpec().apexName(),
        canary.getMetadata().getNamespace(),
        IstioVirtualServiceBuilder.isTcp(canary));
  }

  @Override
  public void finalize(Canary canary) {
    String apex = canary.getSpec().apexName();
    String ns = canary.getMetadata().getNamespace();
    GenericKubernetesResource vs;
    try {
      vs = virtualService(canary).get();
    } catch (KubernetesClientException e) {
      throw new RouterException(
          "VirtualService " + apex + "." + ns + " get query error: " + e.getMessage(), e);
    }
    if (vs == null) {
      return;
    }
    Map<String, Object> original = VirtualServiceDiff.original(vs);
    if (original == null) {
      return;
    }
    vs.setAdditionalProperty("spec", original);
    try {
      apply(IstioObjects.VIRTUAL_SERVICES, ns, vs, false);
    } catch (KubernetesClientException e) {
      throw new RouterException(
          "VirtualService " + apex + "." + ns + " update error " + e.getMessage(), e);
    }
  }

  private GenericKubernetesResource get(Canary canary) {
    String apex = canary.getSpec().apexName();
    String ns = canary.getMetadata().getNamespace();
    GenericKubernetesResource vs;
    try {
      vs = objects.get(IstioObjects.VIRTUAL_SERVICES, ns, apex);
    } catch (KubernetesClientException e) {
      throw new RouterException(
          "VirtualService " + apex + "." + ns + " get query error " + e.getMessage(), e);
    }
    if (vs == null) {
      throw notFound(apex, ns);
    }
    return vs;
  }

  private static RouterException notFound(String apex, String ns) {
    return new RouterException(
        "VirtualService "
            + apex
            + "."
            + ns
            + " get query error virtualservices.networking.istio.io \""
            + apex
            + "\" not found");
  }

  /**
   * Writes what {@code change} makes of the object (null: nothing to write; given null when the
   * object does not exist: create), read through {@link #objects}; a 409 (a stale copy, or a create
   * that lost a race) is retried from a fresh read.
   */
  private void edit(
      ResourceDefinitionContext kind,
      String ns,
      String name,
      UnaryOperator<GenericKubernetesResource> change) {
    edit(kind, ns, name, objects.get(kind, ns, name), change);
  }

  private void edit(
      ResourceDefinitionContext kind,
      String ns,
      String name,
      GenericKubernetesResource current,
      UnaryOperator<GenericKubernetesResource> change) {
    Conflicts.retry(
        current,
        () -> objects.fresh(kind, ns, name),
        existing -> {
          GenericKubernetesResource out = change.apply(existing);
          if (out != null) {
            objects.wrote(kind, apply(kind, ns, out, existing == null));
          }
          return out;
        });
  }

  private GenericKubernetesResource apply(
      ResourceDefinitionContext context,
      String ns,
      GenericKubernetesResource object,
      boolean create) {
    var r = client.genericKubernetesResources(context).inNamespace(ns).resource(object);
    return create ? r.create() : r.update();
  }

  private Resource<GenericKubernetesResource> virtualService(Canary canary) {
    return client
        .genericKubernetesResources(IstioObjects.VIRTUAL_SERVICES)
        .inNamespace(canary.getMetadata().getNamespace())
        .withName(canary.getSpec().apexName());
  }

  private static boolean hasSessionAffinity(Canary canary) {
    var a = canary.getSpec().analysisOrLegacy();
    return a != null && a.sessionAffinity() != null;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource r) {
    Object spec = r.getAdditionalProperties().get("spec");
    return spec instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
  }
}
