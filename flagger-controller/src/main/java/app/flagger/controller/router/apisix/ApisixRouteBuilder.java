package app.flagger.controller.router.apisix;

import app.flagger.controller.kube.Owners;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The canary ApisixRoute Flagger generates for a Canary (Flagger's {@code ApisixRouter}, spec
 * §5.2), as plain maps in the JSON shape of {@code apisix.apache.org/v2}: named {@code
 * <routeRef>-<apex>-canary}, its spec a copy of the {@code routeRef} ApisixRoute's spec whose
 * {@code http} holds only the route that sends to {@code <apex>}, at priority 10000, with the
 * backends {@code <apex>-primary} and {@code <apex>-canary}. Pure: no client, no clock.
 */
public final class ApisixRouteBuilder {
  private ApisixRouteBuilder() {}

  public static final String GROUP = "apisix.apache.org";
  public static final String VERSION = "v2";
  public static final String KIND = "ApisixRoute";

  /** Flagger's {@code maxPriority}: the copied route wins over the original one. */
  static final int PRIORITY = 10000;

  /**
   * The name of the {@code routeRef} ApisixRoute; an error naming the field when it is missing
   * (Flagger's {@code apisix route selector is empty}).
   */
  public static String routeRefName(Canary canary) {
    var ref = canary.getSpec().routeRef();
    if (ref == null || ref.name() == null || ref.name().isEmpty()) {
      throw new RouterException(
          "spec.routeRef: the apisix provider needs the ApisixRoute that routes to "
              + canary.getSpec().apexName()
              + " (routeRef.name), got none");
    }
    return ref.name();
  }

  /** The generated route: {@code <routeRef>-<apex>-canary}. */
  public static String canaryRouteName(Canary canary) {
    return routeRefName(canary) + "-" + canary.getSpec().apexName() + "-canary";
  }

  /**
   * Refuses an A/B test: APISIX routes only by weight here, and Flagger, which ignores {@code
   * analysis.match} for apisix, would send every request to the canary during the iterations.
   */
  public static void refuseAbTest(Canary canary) {
    CanaryAnalysis analysis = canary.getSpec().analysisOrLegacy();
    if (analysis != null && analysis.match() != null && !analysis.match().isEmpty()) {
      throw new RouterException(
          "analysis.match: the apisix provider does not support A/B testing (it shifts traffic"
              + " by weight only); remove analysis.match for a canary or blue/green analysis");
    }
  }

  /**
   * The canary ApisixRoute Reconcile creates from the {@code routeRef} ApisixRoute {@code source}:
   * its labels and annotations (as Flagger copies them), owned by the Canary, everything to the
   * primary.
   */
  public static GenericKubernetesResource build(Canary canary, GenericKubernetesResource source) {
    ObjectMeta from = source.getMetadata();
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(GROUP + "/" + VERSION);
    r.setKind(KIND);
    r.setMetadata(
        new ObjectMetaBuilder()
            .withName(canaryRouteName(canary))
            .withNamespace(canary.getMetadata().getNamespace())
            .withLabels(from.getLabels() == null ? null : new LinkedHashMap<>(from.getLabels()))
            .withAnnotations(
                from.getAnnotations() == null ? null : new LinkedHashMap<>(from.getAnnotations()))
            .withOwnerReferences(Owners.of(canary))
            .build());
    r.setAdditionalProperty("spec", spec(canary, spec(source)));
    return r;
  }

  /**
   * The canary route's spec from the {@code routeRef} ApisixRoute's spec: every key but {@code
   * stream} copied, {@code http} replaced by the one route with a backend {@code <apex>} (the
   * first), at priority 10000, its backend renamed {@code <apex>-primary} with weight 100 and an
   * {@code <apex>-canary} backend with weight 0 on the same port, resolve granularity and subset.
   */
  public static Map<String, Object> spec(Canary canary, Map<String, Object> source) {
    String apex = canary.getSpec().apexName();
    String key = routeRefName(canary) + "." + canary.getMetadata().getNamespace();
    if (!(source.get("http") instanceof List<?> http) || http.isEmpty()) {
      throw new RouterException("ApisixRoute " + key + " has no http routes (spec.http is empty)");
    }
    int index = indexOf(http, apex);
    if (index < 0) {
      throw new RouterException(
          "ApisixRoute " + key + " has no http route with a backend serviceName " + apex);
    }
    Map<String, Object> target = copyMap(http.get(index));
    List<?> backends = (List<?>) target.get("backends");
    if (backends.size() != 1) {
      throw new RouterException(
          "ApisixRoute "
              + key
              + " http route "
              + target.get("name")
              + " has "
              + backends.size()
              + " backends, expected only the backend "
              + apex);
    }
    Map<String, Object> primary = copyMap(backends.get(0));
    primary.put("serviceName", apex + "-primary");
    primary.put("weight", 100);
    Map<String, Object> canaryBackend = new LinkedHashMap<>();
    canaryBackend.put("serviceName", apex + "-canary");
    copyIfSet(primary, canaryBackend, "servicePort");
    copyIfSet(primary, canaryBackend, "resolveGranularity");
    canaryBackend.put("weight", 0);
    copyIfSet(primary, canaryBackend, "subset");
    target.put("priority", PRIORITY);
    target.put("backends", List.of(primary, canaryBackend));

    Map<String, Object> spec = new LinkedHashMap<>();
    source.forEach(
        (k, v) -> {
          if (!"stream".equals(k)) {
            spec.put(k, copy(v));
          }
        });
    spec.put("http", List.of(target));
    return spec;
  }

  /**
   * Whether the canary route's spec {@code current} differs from {@code desired}, ignoring the
   * backends' weights (Flagger's {@code cmp.Diff} with {@code
   * IgnoreFields(ApisixRouteHTTPBackend{}, "Weight")}).
   */
  public static boolean differs(Map<String, Object> current, Map<String, Object> desired) {
    return !Objects.equals(withoutBackendWeights(current), withoutBackendWeights(desired));
  }

  /**
   * A copy of the canary route's spec with {@code routes}' weights on the backends {@code
   * <apex>-primary} and {@code <apex>-canary} of the http route that holds the primary (Flagger's
   * SetRoutes); {@code routes.mirrored()} is ignored, as in Flagger.
   */
  public static Map<String, Object> withWeights(
      Map<String, Object> spec, Canary canary, Routes routes, String key) {
    Map<String, Object> out = copyMap(spec);
    String apex = canary.getSpec().apexName();
    List<Object> http = new ArrayList<>((List<?>) out.get("http"));
    int i = primaryRoute(out, canary, key);
    Map<String, Object> route = copyMap(http.get(i));
    List<Object> backends = new ArrayList<>();
    for (Object b : (List<?>) route.get("backends")) {
      Map<String, Object> backend = copyMap(b);
      if ((apex + "-primary").equals(backend.get("serviceName"))) {
        backend.put("weight", routes.primaryWeight());
      } else if ((apex + "-canary").equals(backend.get("serviceName"))) {
        backend.put("weight", routes.canaryWeight());
      }
      backends.add(backend);
    }
    route.put("backends", backends);
    http.set(i, route);
    out.put("http", http);
    return out;
  }

  /**
   * The weights of the canary route's spec (Flagger's GetRoutes): the {@code <apex>-primary}
   * backend's weight, the canary gets the rest; never mirrored.
   */
  public static Routes routes(Map<String, Object> spec, Canary canary, String key) {
    String primary = canary.getSpec().apexName() + "-primary";
    List<?> http = (List<?>) spec.get("http");
    Map<?, ?> route = (Map<?, ?>) http.get(primaryRoute(spec, canary, key));
    for (Object b : (List<?>) route.get("backends")) {
      if (b instanceof Map<?, ?> backend && primary.equals(backend.get("serviceName"))) {
        if (!(backend.get("weight") instanceof Number n)) {
          throw new RouterException(
              "ApisixRoute " + key + " backend " + primary + " has no weight");
        }
        int weight = n.intValue();
        if (weight < 0 || weight > 100) {
          throw new RouterException(
              "ApisixRoute "
                  + key
                  + " weight of "
                  + primary
                  + " must be between 0 and 100, got "
                  + weight);
        }
        return new Routes(weight, 100 - weight, false);
      }
    }
    throw new RouterException("ApisixRoute " + key + " has no backend " + primary);
  }

  /** The index of the http route with the backend {@code <apex>-primary}; an error when none. */
  private static int primaryRoute(Map<String, Object> spec, Canary canary, String key) {
    String primary = canary.getSpec().apexName() + "-primary";
    int i = spec.get("http") instanceof List<?> http ? indexOf(http, primary) : -1;
    if (i < 0) {
      throw new RouterException(
          "ApisixRoute " + key + " has no http route with a backend serviceName " + primary);
    }
    return i;
  }

  /** The index of the first http route with a backend {@code serviceName}, or -1. */
  private static int indexOf(List<?> http, String serviceName) {
    for (int i = 0; i < http.size(); i++) {
      if (http.get(i) instanceof Map<?, ?> route && route.get("backends") instanceof List<?> bs) {
        for (Object b : bs) {
          if (b instanceof Map<?, ?> backend && serviceName.equals(backend.get("serviceName"))) {
            return i;
          }
        }
      }
    }
    return -1;
  }

  /** The spec of an ApisixRoute (empty when it has none). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> spec(GenericKubernetesResource r) {
    Object spec = r.getAdditionalProperties().get("spec");
    return spec instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
  }

  /** The spec with the {@code weight} of every {@code http[*].backends[*]} left out. */
  private static Object withoutBackendWeights(Map<String, Object> spec) {
    Map<String, Object> out = copyMap(spec);
    if (out.get("http") instanceof List<?> http) {
      List<Object> routes = new ArrayList<>();
      for (Object r : http) {
        if (r instanceof Map<?, ?> && ((Map<?, ?>) r).get("backends") instanceof List<?> bs) {
          Map<String, Object> route = copyMap(r);
          route.put(
              "backends",
              bs.stream()
                  .map(
                      b -> {
                        if (!(b instanceof Map<?, ?>)) {
                          return b;
                        }
                        Map<String, Object> backend = copyMap(b);
                        backend.remove("weight");
                        return backend;
                      })
                  .toList());
          routes.add(route);
        } else {
          routes.add(r);
        }
      }
      out.put("http", routes);
    }
    return out;
  }

  private static void copyIfSet(Map<String, Object> from, Map<String, Object> to, String key) {
    Object v = from.get(key);
    if (v != null && !"".equals(v)) {
      to.put(key, v);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> copyMap(Object map) {
    return (Map<String, Object>) copy(map);
  }

  /** A deep copy of maps and lists, so nothing read from the API is changed in place. */
  private static Object copy(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), copy(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(copy(v)));
      return out;
    }
    return value;
  }
}
