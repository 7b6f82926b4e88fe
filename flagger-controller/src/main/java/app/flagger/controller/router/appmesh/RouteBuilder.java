package app.flagger.controller.router.appmesh;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTP routes of an App Mesh router (Flagger's {@code reconcileVirtualRouter} in v1beta2, the
 * inline routes of {@code reconcileVirtualService} in v1beta1), in the JSON shape of each version,
 * and the weight reading and writing of GetRoutes and SetRoutes on {@code routes[0]}. Pure.
 *
 * <p>The apex router ({@code canaryWeight} 0) splits {@code <apex>-canary}/{@code <apex>-primary};
 * with {@code analysis.match} it has two routes instead: {@code <apex>-a} (priority 10, the header
 * matches, the split) and {@code <apex>-b} (priority 20, all to the primary). The canary router
 * ({@code canaryWeight} 100) sends everything to the canary virtual node.
 */
public final class RouteBuilder {
  private RouteBuilder() {}

  /** The routes of the router with {@code canaryWeight} on the canary. */
  public static List<Object> routes(Canary canary, AppMeshApi api, int canaryWeight) {
    String apex = CanaryMesh.apex(canary);
    String prefix = CanaryMesh.routePrefix(canary);
    if (!CanaryMesh.abMatches(canary).isEmpty() && canaryWeight == 0) {
      Map<String, Object> a = Maps.of("prefix", prefix, "headers", CanaryMesh.headers(canary));
      Map<String, Object> b = Maps.of("prefix", prefix);
      return List.of(
          route(canary, api, apex + "-a", 10, a, split(canary, api, canaryWeight)),
          route(
              canary,
              api,
              apex + "-b",
              20,
              b,
              List.of(target(api, CanaryMesh.primary(canary), 100))));
    }
    String name = canaryWeight > 0 ? CanaryMesh.canaryName(canary) : apex;
    return List.of(
        route(
            canary, api, name, null, Maps.of("prefix", prefix), split(canary, api, canaryWeight)));
  }

  /** The weighted targets of a split: the canary virtual node first, then the primary. */
  public static List<Object> split(Canary canary, AppMeshApi api, int canaryWeight) {
    return List.of(
        target(api, CanaryMesh.canaryName(canary), canaryWeight),
        target(api, CanaryMesh.primary(canary), 100 - canaryWeight));
  }

  private static Map<String, Object> route(
      Canary canary,
      AppMeshApi api,
      String name,
      Integer priority,
      Map<String, Object> match,
      List<Object> targets) {
    Map<String, Object> http = new LinkedHashMap<>();
    http.put("match", match);
    http.put("action", Maps.of("weightedTargets", targets));
    Map<String, Object> retry = CanaryMesh.retryPolicy(canary, api);
    if (retry != null) {
      http.put("retryPolicy", retry);
    }
    if (api == AppMeshApi.V1BETA2) {
      CanaryMesh.timeoutMillis(canary)
          .ifPresent(ms -> http.put("timeout", Maps.of("perRequest", CanaryMesh.millis(ms))));
    }
    Map<String, Object> route = Maps.of("name", name, api.httpRouteKey(), http);
    if (priority != null) {
      route.put("priority", priority);
    }
    return route;
  }

  private static Map<String, Object> target(AppMeshApi api, String virtualNode, int weight) {
    return api == AppMeshApi.V1BETA1
        ? Maps.of("virtualNodeName", virtualNode, "weight", weight)
        : Maps.of("virtualNodeRef", Maps.of("name", virtualNode), "weight", weight);
  }

  /** The virtual node a weighted target names, null when it names none. */
  static String targetNode(Object target) {
    Map<String, Object> t = Maps.map(target);
    if (t == null) {
      return null;
    }
    if (t.get("virtualNodeName") instanceof String s) {
      return s;
    }
    Map<String, Object> ref = Maps.map(t.get("virtualNodeRef"));
    return ref != null && ref.get("name") instanceof String s ? s : null;
  }

  /**
   * {@code routes} with every weighted target's weight removed: Flagger's reconcile compares routes
   * ignoring the weights ({@code cmpopts.IgnoreTypes(WeightedTarget{})}).
   */
  static Object withoutWeights(Object routes) {
    return copy(routes, true);
  }

  private static Object targetsWithoutWeights(Object targets) {
    List<Object> out = new ArrayList<>();
    for (Object t : Maps.list(targets)) {
      Map<String, Object> m = Maps.map(t);
      if (m == null) {
        out.add(t);
      } else {
        Map<String, Object> copy = new LinkedHashMap<>(m);
        copy.remove("weight");
        out.add(copy);
      }
    }
    return out;
  }

  /** The HTTP route of {@code routes[0]}, null when there is none. */
  static Map<String, Object> firstHttpRoute(Map<String, Object> spec, AppMeshApi api) {
    List<?> routes = Maps.list(spec.get("routes"));
    if (routes.isEmpty()) {
      return null;
    }
    Map<String, Object> route = Maps.map(routes.get(0));
    return route == null ? null : Maps.map(route.get(api.httpRouteKey()));
  }

  /**
   * {@code desired} with the action of {@code current}'s first route when it splits between the
   * same virtual nodes: Reconcile keeps the weights the analysis set (Flagger's "update but keep
   * the original target weights"). A first route whose targets were edited away is reset to the
   * desired split (Flagger would keep it, and GetRoutes would fail on every tick).
   */
  static Map<String, Object> keepingAction(
      Map<String, Object> desired, Map<String, Object> current, AppMeshApi api) {
    Map<String, Object> currentHttp = firstHttpRoute(current, api);
    Map<String, Object> out = deepCopy(desired);
    Map<String, Object> http = firstHttpRoute(out, api);
    if (currentHttp == null
        || http == null
        || !Objects.equals(
            withoutWeights(currentHttp.get("action")), withoutWeights(http.get("action")))) {
      return out;
    }
    http.put("action", currentHttp.get("action"));
    return out;
  }

  /** {@code spec} with {@code routes[0]}'s split set to {@code routes} (Flagger's SetRoutes). */
  static Map<String, Object> withWeights(
      Map<String, Object> spec, Canary canary, AppMeshApi api, Routes routes, String what) {
    Map<String, Object> out = deepCopy(spec);
    Map<String, Object> http = firstHttpRoute(out, api);
    if (http == null) {
      throw new RouterException(what + " has no HTTP route to set the weights on");
    }
    http.put(
        "action",
        Maps.of(
            "weightedTargets",
            List.of(
                target(api, CanaryMesh.canaryName(canary), routes.canaryWeight()),
                target(api, CanaryMesh.primary(canary), routes.primaryWeight()))));
    return out;
  }

  /**
   * The split of {@code routes[0]} (Flagger's GetRoutes): it must have two weighted targets; the
   * ones naming {@code <apex>-primary} and {@code <apex>-canary} give the weights; never mirrored.
   *
   * @param kind the object's kind, as errors name it ({@code VirtualRouter})
   * @param name the object's name, as errors name it
   */
  static Routes read(
      Map<String, Object> spec, Canary canary, AppMeshApi api, String kind, String name) {
    String what = kind + " " + name;
    Map<String, Object> http = firstHttpRoute(spec, api);
    Map<String, Object> action = http == null ? null : Maps.map(http.get("action"));
    List<?> targets = action == null ? List.of() : Maps.list(action.get("weightedTargets"));
    if (targets.size() != 2) {
      throw new RouterException(kind + " routes " + name + " not found");
    }
    int primary = 0;
    int canaryWeight = 0;
    for (Object t : targets) {
      int weight = Maps.map(t).get("weight") instanceof Number n ? n.intValue() : 0;
      String node = targetNode(t);
      if (Objects.equals(node, CanaryMesh.canaryName(canary))) {
        canaryWeight = weight;
      }
      if (Objects.equals(node, CanaryMesh.primary(canary))) {
        primary = weight;
      }
    }
    String apex = CanaryMesh.apex(canary);
    if (primary == 0 && canaryWeight == 0) {
      throw new RouterException(
          what + " does not contain routes for " + apex + "-primary and " + apex + "-canary");
    }
    try {
      return new Routes(primary, canaryWeight, false);
    } catch (IllegalArgumentException e) {
      throw new RouterException(what + " " + e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> m) {
    return (Map<String, Object>) copy(m, false);
  }

  /** A deep copy of maps and lists, without the targets' weights when {@code dropWeights}. */
  private static Object copy(Object o, boolean dropWeights) {
    if (o instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (var e : m.entrySet()) {
        Object v = e.getValue();
        boolean targets = dropWeights && "weightedTargets".equals(e.getKey());
        out.put((String) e.getKey(), targets ? targetsWithoutWeights(v) : copy(v, dropWeights));
      }
      return out;
    }
    if (o instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object x : l) {
        out.add(copy(x, dropWeights));
      }
      return out;
    }
    return o;
  }
}
