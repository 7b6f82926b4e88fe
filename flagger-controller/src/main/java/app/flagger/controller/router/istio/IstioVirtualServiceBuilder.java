package app.flagger.controller.router.istio;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.FlaggerGroup;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryService;
import app.flagger.model.canary.SessionAffinity;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The desired VirtualService {@code <apex>} of a Canary as plain maps (Flagger's {@code
 * IstioRouter.reconcileVirtualService} and {@code SetRoutes}): hosts (plus the apex), gateways
 * ({@code mesh} by default; none for a delegate), and either HTTP routes carrying the service's
 * match, rewrite, timeout, retries, headers and CORS policy, or a TCP route for {@code appProtocol:
 * tcp}. Pure: no client.
 */
public final class IstioVirtualServiceBuilder {
  static final String COOKIE_HEADER = "Cookie";

  /** Name of the session-affinity routes. */
  static final String STICKY_ROUTE = "sticky-route";

  private IstioVirtualServiceBuilder() {}

  /** The VirtualService as first created: all traffic to the primary. */
  public static GenericKubernetesResource build(Canary canary) {
    CanaryService service = canary.getSpec().service();
    return IstioObjects.resource(
        "VirtualService",
        IstioObjects.metadata(
            canary, canary.getSpec().apexName(), service == null ? null : service.apex()),
        spec(canary));
  }

  /** hosts, gateways and the routes at primary 100 / canary 0. */
  public static Map<String, Object> spec(Canary canary) {
    CanaryService service = service(canary);
    String apex = canary.getSpec().apexName();
    Map<String, Object> spec = new LinkedHashMap<>();
    List<String> hosts = new ArrayList<>();
    List<String> gateways = new ArrayList<>();
    boolean delegation = Boolean.TRUE.equals(service.delegation());
    if (delegation
        && ((service.hosts() != null && !service.hosts().isEmpty())
            || (service.gateways() != null && !service.gateways().isEmpty()))) {
      throw new RouterException(
          "VirtualService "
              + apex
              + "."
              + canary.getMetadata().getNamespace()
              + " cannot have hosts and gateways when delegation enabled");
    }
    if (!delegation) {
      hosts.addAll(service.hosts() == null ? List.of() : service.hosts());
      if (!hosts.contains(apex) && !hosts.contains("*")) {
        hosts.add(apex);
      }
      gateways.addAll(service.gatewaysOrDefault());
    }
    spec.put("hosts", hosts);
    spec.put("gateways", gateways);
    if (isTcp(canary)) {
      spec.put("tcp", tcpRoutes(canary, 100, 0));
    } else {
      spec.put("http", httpRoutes(canary, Routes.allPrimary(), new SessionCookies.None()));
    }
    return spec;
  }

  /** Whether the service is plain TCP ({@code appProtocol: tcp}). */
  public static boolean isTcp(Canary canary) {
    return "tcp".equalsIgnoreCase(service(canary).appProtocol());
  }

  /** The HTTP routes for a traffic split, with A/B, mirroring and session-affinity rules. */
  public static List<Map<String, Object>> httpRoutes(
      Canary canary, Routes routes, SessionCookies cookies) {
    String primary = primaryName(canary);
    String canaryHost = canaryName(canary);
    List<Object> serviceMatch = matches(service(canary).match());
    var analysis = canary.getSpec().analysisOrLegacy();
    if (analysis != null && !analysis.matchOrEmpty().isEmpty()) {
      Map<String, Object> abRoute =
          common(canary, mergeUri(matches(analysis.match()), serviceMatch));
      abRoute.put(
          "route",
          List.of(
              dest(canary, primary, routes.primaryWeight()),
              dest(canary, canaryHost, routes.canaryWeight())));
      Map<String, Object> rest = common(canary, serviceMatch);
      rest.put("route", List.of(dest(canary, primary, 100)));
      return List.of(abRoute, rest);
    }
    Map<String, Object> weighted = common(canary, serviceMatch);
    int baseline = routes.baselineWeight(canary);
    Map<String, Object> primaryDest = dest(canary, primary, routes.primaryWeight() - baseline);
    Map<String, Object> canaryDest = dest(canary, canaryHost, routes.canaryWeight());
    weighted.put("route", withBaseline(canary, List.of(primaryDest, canaryDest), baseline));
    List<Map<String, Object>> http = new ArrayList<>();
    switch (cookies) {
      case SessionCookies.Active a -> {
        canaryDest.put(
            "headers", setCookie(a.canaryCookie(), a.settings(), a.settings().maxAgeOrDefault()));
        http.add(sticky(canary, a.canaryCookie(), 0, 100));
        if (a.primaryCookie() != null) {
          primaryDest.put(
              "headers", setCookie(a.primaryCookie(), a.settings(), a.intervalSeconds()));
          http.add(sticky(canary, a.primaryCookie(), 100, 0));
        }
      }
      case SessionCookies.Expire e -> {
        Map<String, Object> expire = common(canary, cookieMatch(canary, e.previousCookie()));
        expire.put(
            "headers",
            Map.of(
                "response",
                Map.of("add", Map.of("Set-Cookie", e.previousCookie() + "; Max-Age=-1"))));
        expire.put("route", List.of(dest(canary, primary, 100), dest(canary, canaryHost, 0)));
        http.add(expire);
      }
      case SessionCookies.None n -> {}
    }
    http.add(weighted);
    if (routes.mirrored()) {
      Map<String, Object> first = http.get(0);
      first.put("mirror", Map.of("host", canaryHost));
      Integer mirrorWeight = analysis == null ? null : analysis.mirrorWeight();
      if (mirrorWeight != null && mirrorWeight > 0) {
        first.put("mirrorPercentage", Map.of("value", mirrorWeight.doubleValue()));
      }
    }
    return http;
  }

  /** The TCP route: L4 matches on the ports of the service's match, primary and canary weights. */
  public static List<Map<String, Object>> tcpRoutes(Canary canary, int primary, int canaryWeight) {
    int baseline = new Routes(primary, canaryWeight, false).baselineWeight(canary);
    Map<String, Object> route = new LinkedHashMap<>();
    var match = service(canary).match();
    if (match != null && !match.isEmpty()) {
      route.put(
          "match",
          match.stream()
              .map(m -> Map.<String, Object>of("port", m.port() == null ? 0 : m.port()))
              .toList());
    }
    route.put(
        "route",
        withBaseline(
            canary,
            List.of(
                dest(canary, primaryName(canary), primary - baseline),
                dest(canary, canaryName(canary), canaryWeight)),
            baseline));
    return List.of(route);
  }

  /**
   * The destinations, plus {@code <apex>-baseline} when it has a share (at weight 0 it is left out:
   * its Service exists only while a run analyses).
   */
  private static List<Map<String, Object>> withBaseline(
      Canary canary, List<Map<String, Object>> dests, int baseline) {
    if (baseline == 0) {
      return dests;
    }
    List<Map<String, Object>> out = new ArrayList<>(dests);
    out.add(dest(canary, baselineName(canary), baseline));
    return out;
  }

  /** Session-affinity routes are named so reconcile can leave them to setRoutes. */
  private static Map<String, Object> named(Map<String, Object> route) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", STICKY_ROUTE);
    out.putAll(route);
    return out;
  }

  /** The route's header operations plus {@code Set-Cookie} in {@code response.add}. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> withSetCookie(Object headers, String cookie) {
    Map<String, Object> h =
        new LinkedHashMap<>(headers instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
    Map<String, Object> response =
        new LinkedHashMap<>(
            h.get("response") instanceof Map<?, ?> r ? (Map<String, Object>) r : Map.of());
    Map<String, Object> add =
        new LinkedHashMap<>(
            response.get("add") instanceof Map<?, ?> a ? (Map<String, Object>) a : Map.of());
    add.put("Set-Cookie", cookie);
    response.put("add", add);
    h.put("response", response);
    return h;
  }

  private static Map<String, Object> sticky(Canary canary, String cookie, int p, int c) {
    Map<String, Object> route = named(common(canary, cookieMatch(canary, cookie)));
    route.put(
        "route",
        List.of(dest(canary, primaryName(canary), p), dest(canary, canaryName(canary), c)));
    return route;
  }

  /** Requests carrying {@code name=value} in their Cookie header, within the service's URIs. */
  static List<Object> cookieMatch(Canary canary, String cookie) {
    int eq = cookie.indexOf('=');
    String name = eq < 0 ? cookie : cookie.substring(0, eq);
    String value = eq < 0 ? "" : cookie.substring(eq + 1);
    Map<String, Object> match = new LinkedHashMap<>();
    match.put("headers", Map.of(COOKIE_HEADER, Map.of("regex", ".*" + name + ".*" + value + ".*")));
    return mergeUri(List.of(match), matches(service(canary).match()));
  }

  private static Map<String, Object> setCookie(String cookie, SessionAffinity s, long maxAge) {
    StringBuilder b = new StringBuilder(cookie).append("; Max-Age=").append(maxAge);
    if (s.domain() != null && !s.domain().isEmpty()) {
      b.append("; Domain=").append(s.domain());
    }
    if (Boolean.TRUE.equals(s.httpOnly())) {
      b.append("; HttpOnly");
    }
    if (Boolean.TRUE.equals(s.partitioned())) {
      b.append("; Partitioned");
    }
    if (s.path() != null && !s.path().isEmpty()) {
      b.append("; Path=").append(s.path());
    }
    if (s.sameSite() != null && !s.sameSite().isEmpty()) {
      b.append("; SameSite=").append(s.sameSite());
    }
    if (Boolean.TRUE.equals(s.secure())) {
      b.append("; Secure");
    }
    return Map.of("response", Map.of("add", Map.of("Set-Cookie", b.toString())));
  }

  /**
   * Flagger's {@code mergeMatchConditions}: every A/B (or cookie) condition combined with every
   * service condition. The service condition is the base (its URI is kept); the A/B condition's
   * {@code headers} and {@code sourceLabels} replace the service's, and its other fields are added
   * where the service condition has none.
   */
  @SuppressWarnings("unchecked")
  static List<Object> mergeUri(List<Object> canary, List<Object> defaults) {
    if (defaults.isEmpty()) {
      return canary;
    }
    List<Object> merged = new ArrayList<>();
    for (Object c : canary) {
      for (Object d : defaults) {
        Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) d);
        ((Map<String, Object>) c)
            .forEach(
                (k, v) -> {
                  if (k.equals("headers") || k.equals("sourceLabels") || !m.containsKey(k)) {
                    m.put(k, v);
                  }
                });
        merged.add(m);
      }
    }
    return merged;
  }

  /** match, rewrite, timeout, retries, corsPolicy and headers of the service. */
  private static Map<String, Object> common(Canary canary, List<Object> match) {
    CanaryService s = service(canary);
    Map<String, Object> route = new LinkedHashMap<>();
    if (!match.isEmpty()) {
      route.put("match", match);
    }
    if (s.rewrite() != null && (s.rewrite().uri() != null || s.rewrite().authority() != null)) {
      Map<String, Object> rewrite = new LinkedHashMap<>();
      if (s.rewrite().uri() != null) {
        rewrite.put("uri", s.rewrite().uri());
      }
      if (s.rewrite().authority() != null) {
        rewrite.put("authority", s.rewrite().authority());
      }
      route.put("rewrite", rewrite);
    }
    if (s.timeout() != null && !s.timeout().isEmpty()) {
      route.put("timeout", s.timeout());
    }
    if (s.retries() != null) {
      route.put("retries", IstioObjects.toMap(s.retries()));
    }
    if (s.corsPolicy() != null) {
      route.put("corsPolicy", IstioObjects.toMap(s.corsPolicy()));
    }
    if (s.headers() != null) {
      route.put("headers", IstioObjects.toMap(s.headers()));
    }
    return route;
  }

  /**
   * A weighted destination; the port is set for gateway or delegated routes with port discovery.
   */
  private static Map<String, Object> dest(Canary canary, String host, int weight) {
    CanaryService s = service(canary);
    Map<String, Object> destination = new LinkedHashMap<>();
    destination.put("host", host);
    boolean gateway =
        s.gateways() != null && !s.gateways().isEmpty() && !"mesh".equals(s.gateways().get(0));
    if (Boolean.TRUE.equals(s.portDiscovery())
        && (gateway || Boolean.TRUE.equals(s.delegation()))
        && s.port() != null) {
      destination.put("port", Map.of("number", s.port()));
    }
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("destination", destination);
    d.put("weight", weight);
    return d;
  }

  private static List<Object> matches(List<?> match) {
    return match == null || match.isEmpty() ? List.of() : IstioObjects.toList(match);
  }

  static CanaryService service(Canary canary) {
    CanaryService s = canary.getSpec().service();
    if (s == null) {
      throw new RouterException(
          "Canary "
              + canary.key()
              + " has no spec.service: the istio router needs spec.service.port");
    }
    return s;
  }

  static String primaryName(Canary canary) {
    return canary.getSpec().apexName() + FlaggerGroup.PRIMARY_SUFFIX;
  }

  static String baselineName(Canary canary) {
    return canary.getSpec().apexName() + FlaggerGroup.BASELINE_SUFFIX;
  }

  static String canaryName(Canary canary) {
    return canary.getSpec().apexName() + FlaggerGroup.CANARY_SUFFIX;
  }
}
