package app.flagger.controller.router.contour;

import app.flagger.controller.kube.Owners;
import app.flagger.controller.router.ApexMetadata;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryService;
import app.flagger.model.istio.HttpRetry;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTPProxy {@code <apex>} Flagger generates for a Canary (Flagger's {@code ContourRouter}
 * Reconcile and SetRoutes, spec §5.2), as plain maps in the JSON shape of {@code
 * projectcontour.io/v1}: one route to {@code <apex>-primary} and {@code <apex>-canary} on {@code
 * service.port}, or for A/B testing a header-matched route with the weights followed by a route
 * that sends everything to the primary. Pure: no client, no clock.
 */
public final class HttpProxyBuilder {
  private HttpProxyBuilder() {}

  public static final String GROUP = "projectcontour.io";
  public static final String VERSION = "v1";
  public static final String KIND = "HTTPProxy";

  /** Linkerd's destination override, which Flagger sets on both upstreams. */
  static final String LINKERD_OVERRIDE = "l5d-dst-override";

  /** Flagger's idle timeout next to {@code service.timeout}. */
  static final String IDLE_TIMEOUT = "5m";

  /**
   * The HTTPProxy Reconcile creates: name {@code <apex>}, owned by the Canary, the labels and
   * annotations of {@code service.apex} plus Flux's opt-out, everything to the primary.
   */
  public static GenericKubernetesResource build(Canary canary, String ingressClass) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(GROUP + "/" + VERSION);
    r.setKind(KIND);
    r.setMetadata(
        new ObjectMetaBuilder()
            .withName(canary.getSpec().apexName())
            .withNamespace(canary.getMetadata().getNamespace())
            .withLabels(ApexMetadata.labels(canary))
            .withAnnotations(ApexMetadata.annotations(canary))
            .withOwnerReferences(Owners.of(canary))
            .build());
    r.setAdditionalProperty("spec", spec(canary, ingressClass, Routes.allPrimary()));
    return r;
  }

  /**
   * The spec for {@code weights}: the weighted route (header-matched in an A/B test, then a route
   * with everything on the primary) and {@code ingressClassName} when {@code ingressClass} is set.
   * {@code weights.mirrored()} is ignored, as in Flagger (Contour's {@code mirror} flag on a
   * service is never set).
   */
  public static Map<String, Object> spec(Canary canary, String ingressClass, Routes weights) {
    List<Object> routes = new ArrayList<>();
    if (HttpProxyConditions.abTest(canary)) {
      routes.add(route(canary, HttpProxyConditions.abConditions(canary), weights));
      routes.add(route(canary, HttpProxyConditions.prefixOnly(canary), Routes.allPrimary()));
    } else {
      routes.add(route(canary, HttpProxyConditions.prefixOnly(canary), weights));
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("routes", routes);
    if (!ingressClass.isEmpty()) {
      spec.put("ingressClassName", ingressClass);
    }
    return spec;
  }

  /**
   * The spec keys Flagger owns: {@code routes}, and {@code ingressClassName} when an ingress class
   * is configured (without one, a class set by others is kept).
   */
  static List<String> ownedKeys(String ingressClass) {
    return ingressClass.isEmpty() ? List.of("routes") : List.of("routes", "ingressClassName");
  }

  /**
   * Whether {@code current} differs from {@code desired} in what Flagger owns, ignoring the
   * services' weights (Flagger's {@code cmp.Diff} with {@code IgnoreFields(Service{}, "Weight")}).
   */
  public static boolean differs(
      Map<String, Object> current, Map<String, Object> desired, String ingressClass) {
    for (String key : ownedKeys(ingressClass)) {
      if (!Objects.equals(withoutWeights(current.get(key)), withoutWeights(desired.get(key)))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The weights of an HTTPProxy spec (Flagger's GetRoutes): the first route's service named {@code
   * <apex>-primary} gives the primary's weight (none is 0), the canary gets the rest; never
   * mirrored.
   */
  public static Routes routes(Map<String, Object> spec, Canary canary, String key) {
    List<?> services = firstRouteServices(spec);
    if (services.size() < 2) {
      throw new RouterException("HTTPProxy " + key + " services not found");
    }
    String primary = canary.getSpec().apexName() + "-primary";
    for (Object s : services) {
      if (s instanceof Map<?, ?> service && primary.equals(service.get("name"))) {
        int weight = service.get("weight") instanceof Number n ? n.intValue() : 0;
        if (weight < 0 || weight > 100) {
          throw new RouterException(
              "HTTPProxy "
                  + key
                  + " weight of "
                  + primary
                  + " must be between 0 and 100, got "
                  + weight);
        }
        return new Routes(weight, 100 - weight, false);
      }
    }
    throw new RouterException("HTTPProxy " + key + " does not contain a service " + primary);
  }

  private static List<?> firstRouteServices(Map<String, Object> spec) {
    if (spec.get("routes") instanceof List<?> routes
        && !routes.isEmpty()
        && routes.get(0) instanceof Map<?, ?> route
        && route.get("services") instanceof List<?> services) {
      return services;
    }
    return List.of();
  }

  private static Map<String, Object> route(Canary canary, List<Object> conditions, Routes w) {
    CanaryService s = service(canary);
    String apex = canary.getSpec().apexName();
    Map<String, Object> route = new LinkedHashMap<>();
    route.put("conditions", conditions);
    route.put(
        "services",
        List.of(
            upstream(canary, apex + "-primary", w.primaryWeight()),
            upstream(canary, apex + "-canary", w.canaryWeight())));
    if (s.timeout() != null && !s.timeout().isEmpty()) {
      Map<String, Object> timeout = new LinkedHashMap<>();
      timeout.put("response", s.timeout());
      timeout.put("idle", IDLE_TIMEOUT);
      route.put("timeoutPolicy", timeout);
    }
    if (s.retries() != null) {
      route.put("retryPolicy", retryPolicy(s.retries()));
    }
    return route;
  }

  /**
   * Flagger's retry policy: {@code count} always, {@code perTryTimeout} when set, {@code retryOn}
   * split at commas. Empty items are dropped (Flagger writes {@code [""]} for an empty {@code
   * retryOn}, which Contour's CRD refuses).
   */
  private static Map<String, Object> retryPolicy(HttpRetry retries) {
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("count", retries.attempts() == null ? 0 : retries.attempts());
    if (retries.perTryTimeout() != null && !retries.perTryTimeout().isEmpty()) {
      policy.put("perTryTimeout", retries.perTryTimeout());
    }
    List<String> retryOn =
        retries.retryOn() == null
            ? List.of()
            : Arrays.stream(retries.retryOn().split(",")).filter(v -> !v.isEmpty()).toList();
    if (!retryOn.isEmpty()) {
      policy.put("retryOn", retryOn);
    }
    return policy;
  }

  /**
   * An upstream: the service on {@code service.port}, its weight (left out when 0, as Go's {@code
   * omitempty} writes it) and Linkerd's {@code l5d-dst-override} request header.
   */
  private static Map<String, Object> upstream(Canary canary, String name, int weight) {
    Integer port = service(canary).port();
    int p = port == null ? 0 : port;
    Map<String, Object> upstream = new LinkedHashMap<>();
    upstream.put("name", name);
    upstream.put("port", p);
    if (weight != 0) {
      upstream.put("weight", weight);
    }
    String host = name + "." + canary.getMetadata().getNamespace() + ".svc.cluster.local:" + p;
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("name", LINKERD_OVERRIDE);
    header.put("value", host);
    upstream.put("requestHeadersPolicy", Map.of("set", List.of(header)));
    return upstream;
  }

  /** A copy of {@code value} without any {@code weight} key, at any depth. */
  private static Object withoutWeights(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach(
          (k, v) -> {
            if (!"weight".equals(k)) {
              out.put(k, withoutWeights(v));
            }
          });
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(HttpProxyBuilder::withoutWeights).toList();
    }
    return value;
  }

  static CanaryService service(Canary canary) {
    CanaryService s = canary.getSpec().service();
    if (s == null) {
      throw new RouterException("spec.service is required for the contour provider");
    }
    return s;
  }
}
