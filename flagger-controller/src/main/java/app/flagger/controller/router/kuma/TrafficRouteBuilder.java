package app.flagger.controller.router.kuma;

import app.flagger.controller.router.ApexMetadata;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryService;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Kuma TrafficRoute {@code <apex>} Flagger generates for a Canary (Flagger's {@code KumaRouter}
 * Reconcile and SetRoutes, spec §5.2), as plain maps in the JSON shape of {@code kuma.io/v1alpha1}.
 * The route is cluster-scoped, so it has no namespace and, as in Flagger, no owner reference; its
 * {@code mesh} (a top-level field, not in the spec) comes from the Canary's {@code kuma.io/mesh}
 * annotation. Pure: no client, no clock.
 */
public final class TrafficRouteBuilder {
  private TrafficRouteBuilder() {}

  public static final String GROUP = "kuma.io";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "TrafficRoute";
  public static final String MESH_ANNOTATION = "kuma.io/mesh";
  public static final String DEFAULT_MESH = "default";
  static final String SERVICE_TAG = "kuma.io/service";

  /** The spec keys Flagger owns; others are kept on update. */
  static final List<String> OWNED_KEYS = List.of("sources", "destinations", "conf");

  /** The TrafficRoute Reconcile creates: metadata, mesh and the spec sending all to the primary. */
  public static GenericKubernetesResource build(Canary canary) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(GROUP + "/" + VERSION);
    r.setKind(KIND);
    r.setMetadata(
        new ObjectMetaBuilder()
            .withName(canary.getSpec().apexName())
            .withLabels(ApexMetadata.labels(canary))
            .withAnnotations(ApexMetadata.annotations(canary))
            .build());
    r.setAdditionalProperty("mesh", mesh(canary));
    r.setAdditionalProperty("spec", spec(canary));
    return r;
  }

  /** The Canary's {@code kuma.io/mesh} annotation, {@code default} without one. */
  public static String mesh(Canary canary) {
    Map<String, String> annotations = canary.getMetadata().getAnnotations();
    String mesh = annotations == null ? null : annotations.get(MESH_ANNOTATION);
    return mesh == null ? DEFAULT_MESH : mesh;
  }

  /** The spec Reconcile wants: any source, the apex service, everything to the primary. */
  public static Map<String, Object> spec(Canary canary) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("sources", List.of(selector("*")));
    spec.put("destinations", List.of(selector(serviceTag(canary, canary.getSpec().apexName()))));
    spec.put("conf", conf(canary, Routes.allPrimary()));
    return spec;
  }

  /**
   * The {@code conf} SetRoutes writes: the primary and canary split with {@code routes}' weights.
   * Kuma has no mirroring: {@code routes.mirrored()} is ignored, as in Flagger.
   */
  public static Map<String, Object> conf(Canary canary, Routes routes) {
    String apex = canary.getSpec().apexName();
    List<Object> split =
        List.of(
            split(routes.primaryWeight(), serviceTag(canary, apex + "-primary")),
            split(routes.canaryWeight(), serviceTag(canary, apex + "-canary")));
    Map<String, Object> conf = new LinkedHashMap<>();
    conf.put("split", split);
    return conf;
  }

  /** Kuma's service tag of the Kubernetes service {@code name}: {@code <name>_<ns>_svc_<port>}. */
  static String serviceTag(Canary canary, String name) {
    Integer port = service(canary).port();
    return name + "_" + canary.getMetadata().getNamespace() + "_svc_" + (port == null ? 0 : port);
  }

  /**
   * Whether {@code current} differs from {@code desired} in what Flagger owns (sources,
   * destinations, split destinations), ignoring the split weights (Flagger's {@code cmp.Diff} with
   * {@code IgnoreFields(TrafficRouteSplit{}, "Weight")}).
   */
  public static boolean differs(Map<String, Object> current, Map<String, Object> desired) {
    for (String key : OWNED_KEYS) {
      if (!Objects.equals(withoutWeights(current.get(key)), withoutWeights(desired.get(key)))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The weights of a TrafficRoute spec (Flagger's GetRoutes): the split entry whose service tag
   * starts with {@code <apex>-primary_} gives the primary's weight, the canary gets the rest; never
   * mirrored. Fails with Flagger's message when there is no primary weight and no canary weight.
   */
  public static Routes routes(Map<String, Object> spec, Canary canary) {
    String apex = canary.getSpec().apexName();
    String primary = apex + "-primary";
    Integer primaryWeight = null;
    for (Object entry : splits(spec)) {
      if (entry instanceof Map<?, ?> split
          && split.get("destination") instanceof Map<?, ?> destination
          && destination.get(SERVICE_TAG) instanceof String tag
          && tag.split("_", -1)[0].equals(primary)) {
        primaryWeight = split.get("weight") instanceof Number n ? n.intValue() : 0;
      }
    }
    if (primaryWeight != null && (primaryWeight < 0 || primaryWeight > 100)) {
      throw new RouterException(
          "TrafficRoute "
              + apex
              + " split weight of "
              + primary
              + " must be between 0 and 100, got "
              + primaryWeight);
    }
    if (primaryWeight == null) {
      throw new RouterException(
          "TrafficRoute "
              + apex
              + " does not contain routes for "
              + primary
              + " and "
              + apex
              + "-canary");
    }
    return new Routes(primaryWeight, 100 - primaryWeight, false);
  }

  private static List<?> splits(Map<String, Object> spec) {
    if (spec.get("conf") instanceof Map<?, ?> conf && conf.get("split") instanceof List<?> l) {
      return l;
    }
    return List.of();
  }

  private static Object withoutWeights(Object value) {
    if (!(value instanceof Map<?, ?> conf) || !(conf.get("split") instanceof List<?> split)) {
      return value;
    }
    Map<Object, Object> out = new LinkedHashMap<>(conf);
    List<Object> entries = new ArrayList<>();
    for (Object e : split) {
      if (e instanceof Map<?, ?> m) {
        Map<Object, Object> copy = new LinkedHashMap<>(m);
        copy.remove("weight");
        entries.add(copy);
      } else {
        entries.add(e);
      }
    }
    out.put("split", entries);
    return out;
  }

  private static Map<String, Object> selector(String service) {
    return Map.of("match", Map.of(SERVICE_TAG, service));
  }

  private static Map<String, Object> split(int weight, String service) {
    Map<String, Object> split = new LinkedHashMap<>();
    split.put("weight", weight);
    split.put("destination", Map.of(SERVICE_TAG, service));
    return split;
  }

  private static CanaryService service(Canary canary) {
    CanaryService s = canary.getSpec().service();
    if (s == null) {
      throw new RouterException("spec.service is required for the kuma provider");
    }
    return s;
  }
}
