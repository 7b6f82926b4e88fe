package app.flagger.controller.router.gloo;

import app.flagger.controller.router.ApexMetadata;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.istio.HttpMatchRequest;
import app.flagger.model.istio.StringMatch;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Gloo RouteTable {@code <apex>} Flagger generates for a Canary (Flagger's {@code GlooRouter}
 * Reconcile and SetRoutes, spec §5.2), as plain maps in the JSON shape of {@code
 * gateway.solo.io/v1}: one route whose {@code routeAction.multi} splits traffic between the primary
 * and canary Upstreams, with the A/B matchers of {@code analysis.match} and then, in an A/B test, a
 * route that sends the rest to the primary. Pure: no client, no clock.
 */
public final class RouteTableBuilder {
  private RouteTableBuilder() {}

  public static final String GROUP = "gateway.solo.io";
  public static final String VERSION = "v1";
  public static final String KIND = "RouteTable";

  /** The spec key Flagger owns; others ({@code weight}, ...) are kept. */
  static final String ROUTES = "routes";

  /**
   * The RouteTable Reconcile creates: name {@code <apex>}, owned by the Canary, the labels and
   * annotations of {@code service.apex} plus Flux's opt-out, everything to the primary.
   */
  public static GenericKubernetesResource build(Canary canary) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(GROUP + "/" + VERSION);
    r.setKind(KIND);
    r.setMetadata(ApexMetadata.objectMeta(canary));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put(ROUTES, routes(canary, Routes.allPrimary()));
    r.setAdditionalProperty("spec", spec);
    return r;
  }

  /**
   * The routes for {@code weights}: the weighted route, matched by {@code analysis.match} when it
   * is set, followed in that case by a route without matchers that sends everything else to the
   * primary. {@code weights.mirrored()} is ignored, as in Flagger.
   */
  public static List<Object> routes(Canary canary, Routes weights) {
    List<Object> matchers = matchers(canary);
    List<Object> routes = new ArrayList<>();
    routes.add(route(canary, matchers, weights));
    if (!matchers.isEmpty()) {
      routes.add(route(canary, List.of(), Routes.allPrimary()));
    }
    return routes;
  }

  /**
   * Whether the {@code current} spec's routes differ from the ones Flagger wants, ignoring the
   * weights (Flagger's {@code cmp.Diff} with {@code IgnoreFields(WeightedDestination{},
   * "Weight")}): the desired routes are built with the weights {@code current} holds, so only a
   * change of anything else (upstreams, matchers, the number of routes) counts.
   */
  public static boolean differs(Map<String, Object> current, Canary canary) {
    return !Objects.equals(current.get(ROUTES), routes(canary, held(current, canary)));
  }

  /**
   * The weights {@code spec} holds, for a Reconcile that rewrites the routes: those of the primary
   * Upstream; when the Upstreams were renamed ({@code service.port} changed), those of the first
   * destination, where Flagger puts the primary; everything on the primary when it holds none.
   */
  public static Routes held(Map<String, Object> spec, Canary canary) {
    try {
      return weights(spec, canary, "");
    } catch (RouterException e) {
      List<?> destinations = firstRouteDestinations(spec);
      if (destinations.size() >= 2
          && destinations.get(0) instanceof Map<?, ?> first
          && first.get("weight") instanceof Number n
          && n.intValue() >= 0
          && n.intValue() <= 100) {
        return new Routes(n.intValue(), 100 - n.intValue(), false);
      }
      return Routes.allPrimary();
    }
  }

  /**
   * The weights of a RouteTable spec (Flagger's GetRoutes): in the first route, the destination on
   * the primary Upstream gives the primary's weight (none is 0), the canary gets the rest; never
   * mirrored.
   */
  public static Routes weights(Map<String, Object> spec, Canary canary, String key) {
    List<?> destinations = firstRouteDestinations(spec);
    if (destinations.size() < 2) {
      throw new RouterException("RouteTable " + key + " destinations not found");
    }
    String primary = GlooUpstreamBuilder.primaryName(canary);
    for (Object d : destinations) {
      if (d instanceof Map<?, ?> dest
          && dest.get("destination") instanceof Map<?, ?> destination
          && destination.get("upstream") instanceof Map<?, ?> upstream
          && primary.equals(upstream.get("name"))) {
        int weight = dest.get("weight") instanceof Number n ? n.intValue() : 0;
        if (weight < 0 || weight > 100) {
          throw new RouterException(
              "RouteTable "
                  + key
                  + " weight of upstream "
                  + primary
                  + " must be between 0 and 100, got "
                  + weight);
        }
        return new Routes(weight, 100 - weight, false);
      }
    }
    throw new RouterException(
        "RouteTable " + key + " does not contain a destination on upstream " + primary);
  }

  private static List<?> firstRouteDestinations(Map<String, Object> spec) {
    if (spec.get(ROUTES) instanceof List<?> routes
        && !routes.isEmpty()
        && routes.get(0) instanceof Map<?, ?> route
        && route.get("routeAction") instanceof Map<?, ?> action
        && action.get("multi") instanceof Map<?, ?> multi
        && multi.get("destinations") instanceof List<?> destinations) {
      return destinations;
    }
    return List.of();
  }

  /** A route in the key order of Flagger's {@code Route}: matchers, routeAction, inheritance. */
  private static Map<String, Object> route(Canary canary, List<Object> matchers, Routes w) {
    Map<String, Object> route = new LinkedHashMap<>();
    if (!matchers.isEmpty()) {
      route.put("matchers", matchers);
    }
    route.put(
        "routeAction",
        Map.of(
            "multi",
            Map.of(
                "destinations",
                List.of(
                    destination(canary, GlooUpstreamBuilder.primaryName(canary), w.primaryWeight()),
                    destination(
                        canary, GlooUpstreamBuilder.canaryName(canary), w.canaryWeight())))));
    route.put("inheritablePathMatchers", true);
    return route;
  }

  /** A weighted destination; a weight of 0 is left out, as Go's {@code omitempty} writes it. */
  private static Map<String, Object> destination(Canary canary, String upstream, int weight) {
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("name", upstream);
    ref.put("namespace", canary.getMetadata().getNamespace());
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("destination", Map.of("upstream", ref));
    if (weight != 0) {
      d.put("weight", weight);
    }
    return d;
  }

  /**
   * One Gloo matcher per {@code analysis.match} entry (Gloo ORs a route's matchers, ANDs the
   * conditions inside one): its headers, query parameters and exact method. An entry that leaves
   * nothing to match on is refused, as it would send every request to the canary.
   */
  static List<Object> matchers(Canary canary) {
    CanaryAnalysis analysis = canary.getSpec().analysisOrLegacy();
    if (analysis == null || analysis.match() == null) {
      return List.of();
    }
    List<Object> out = new ArrayList<>();
    List<HttpMatchRequest> match = analysis.match();
    for (int i = 0; i < match.size(); i++) {
      out.add(matcher(match.get(i), "spec.analysis.match[" + i + "]"));
    }
    return out;
  }

  private static Map<String, Object> matcher(HttpMatchRequest m, String field) {
    Map<String, Object> matcher = new LinkedHashMap<>();
    if (m != null && m.headers() != null && !m.headers().isEmpty()) {
      List<Object> headers = new ArrayList<>();
      m.headers().forEach((name, v) -> headers.add(condition(name, v, field + ".headers." + name)));
      matcher.put("headers", headers);
    }
    if (m != null && m.queryParams() != null && !m.queryParams().isEmpty()) {
      List<Object> params = new ArrayList<>();
      m.queryParams()
          .forEach((name, v) -> params.add(condition(name, v, field + ".queryParams." + name)));
      matcher.put("queryParameters", params);
    }
    if (m != null && m.method() != null) {
      if (m.method().exact() == null || m.method().exact().isEmpty()) {
        throw new RouterException(
            field + ".method: the gloo provider matches methods by exact value only");
      }
      matcher.put("methods", List.of(m.method().exact()));
    }
    if (matcher.isEmpty()) {
      throw new RouterException(
          field
              + ": the gloo provider needs headers, queryParams or method to match on, got none;"
              + " an empty matcher would send every request to the canary");
    }
    return matcher;
  }

  /**
   * A header or query parameter condition: {@code regex} (which wins, as in Flagger) as a regex
   * (Envoy matches the whole value), {@code exact} as the value (Envoy matches the whole value),
   * {@code prefix} and {@code suffix} as the regex of the quoted text followed or preceded by
   * {@code .*}.
   */
  private static Map<String, Object> condition(String name, StringMatch v, String field) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name);
    if (v != null && v.regex() != null && !v.regex().isEmpty()) {
      c.put("value", v.regex());
      c.put("regex", true);
    } else if (v != null && v.exact() != null) {
      c.put("value", v.exact());
    } else if (v != null && v.prefix() != null) {
      c.put("value", quote(v.prefix()) + ".*");
      c.put("regex", true);
    } else if (v != null && v.suffix() != null) {
      c.put("value", ".*" + quote(v.suffix()));
      c.put("regex", true);
    } else {
      throw new RouterException(field + ": expected one of exact, prefix, suffix or regex");
    }
    return c;
  }

  /** {@code text} with every RE2 metacharacter escaped. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder();
    for (char ch : text.toCharArray()) {
      if ("\\.+*?()|[]{}^$".indexOf(ch) >= 0) {
        out.append('\\');
      }
      out.append(ch);
    }
    return out.toString();
  }
}
