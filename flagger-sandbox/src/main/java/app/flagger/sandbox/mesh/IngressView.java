package app.flagger.sandbox.mesh;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the mesh uses of the Ingresses (networking.k8s.io/v1) serving one host, as ingress-nginx
 * serves them: each path of a rule for the host is a location (an {@code Exact} path first, then
 * the longest path); a canary Ingress ({@code nginx.ingress.kubernetes.io/canary: "true"}) with the
 * same host and path adds its backend as the location's alternative. A request of the location goes
 * to the canary backend, in ingress-nginx's order: by {@code canary-by-header} (with {@code
 * -value}: that exact value; else with {@code -pattern}: the regex found in the value; else {@code
 * always} to the canary and {@code never} to the main backend), then by {@code canary-by-cookie}
 * ({@code always} / {@code never}), then drawn by {@code canary-weight} out of {@code
 * canary-weight-total} (100). Any other header or cookie value falls through to the next rule.
 * Rules without a host (the default server) and the default backend are not modelled.
 *
 * @param host the host served (lower case, no port)
 * @param locations the host's locations, most specific first
 */
public record IngressView(String host, List<Location> locations) implements RouteView {
  /** ingress-nginx's default annotation prefix, as Flagger's nginx router writes it. */
  public static final String PREFIX = "nginx.ingress.kubernetes.io/";

  /**
   * One path of the host.
   *
   * @param namespace the main Ingress's namespace
   * @param ingress the main Ingress's name (the {@code ingress} label)
   * @param path the path as written
   * @param service the main backend's Service (the {@code service} label)
   * @param primary the main backend, {@code <service>.<namespace>:<port>}
   * @param canary the canary backend, or null without a canary Ingress
   * @param canaryUpstream ingress-nginx's upstream name of the canary backend, {@code
   *     <namespace>-<service>-<port>} (the {@code canary} label of the requests it served)
   * @param routes the location's routes: header, cookie, then weight
   */
  public record Location(
      String namespace,
      String ingress,
      String path,
      String service,
      String primary,
      String canary,
      String canaryUpstream,
      List<HttpRoute> routes) {}

  /**
   * The labels ingress-nginx reports a request under.
   *
   * @param host the host served
   * @param namespace the main Ingress's namespace
   * @param ingress the main Ingress's name
   * @param service the main backend's Service
   * @param path the location's path
   * @param canary the canary's upstream name when the canary served it, else empty
   */
  public record Served(
      String host, String namespace, String ingress, String service, String path, String canary) {}

  /** One path of one Ingress's rule, as read. */
  record PathRule(
      String namespace,
      String ingress,
      String host,
      String path,
      String pathType,
      String service,
      String port) {}

  /**
   * One Ingress as read: its rule paths and canary annotations.
   *
   * @param canary whether {@code canary: "true"}
   * @param annotations the annotations without the prefix
   */
  public record Rules(
      String namespace,
      String name,
      boolean canary,
      Map<String, String> annotations,
      List<PathRule> paths) {

    /**
     * Reads an Ingress; fails naming the field when a path's backend is not a Service with a port.
     */
    public static Rules of(Ingress ingress) {
      String ns = ingress.getMetadata().getNamespace();
      String name = ingress.getMetadata().getName();
      String where = "Ingress " + ns + "/" + name;
      Map<String, String> annotations = new LinkedHashMap<>();
      Map<String, String> raw = ingress.getMetadata().getAnnotations();
      if (raw != null) {
        raw.forEach(
            (k, v) -> {
              if (k.startsWith(PREFIX)) {
                annotations.put(k.substring(PREFIX.length()), v == null ? "" : v.strip());
              }
            });
      }
      List<PathRule> paths = new ArrayList<>();
      List<IngressRule> rules =
          ingress.getSpec() == null || ingress.getSpec().getRules() == null
              ? List.of()
              : ingress.getSpec().getRules();
      for (int i = 0; i < rules.size(); i++) {
        IngressRule r = rules.get(i);
        if (r.getHost() == null || r.getHttp() == null || r.getHttp().getPaths() == null) {
          continue;
        }
        List<HTTPIngressPath> ps = r.getHttp().getPaths();
        for (int j = 0; j < ps.size(); j++) {
          String at = where + " spec.rules[" + i + "].http.paths[" + j + "].backend";
          HTTPIngressPath p = ps.get(j);
          IngressBackend b = p.getBackend();
          if (b == null || b.getService() == null || b.getService().getName() == null) {
            throw new IllegalArgumentException(at + ".service.name is required");
          }
          var port = b.getService().getPort();
          String portText =
              port == null
                  ? null
                  : port.getNumber() != null ? port.getNumber().toString() : port.getName();
          if (portText == null) {
            throw new IllegalArgumentException(
                at + ".service.port needs a number or a name, got " + port);
          }
          paths.add(
              new PathRule(
                  ns,
                  name,
                  r.getHost().toLowerCase(Locale.ROOT),
                  p.getPath() == null || p.getPath().isEmpty() ? "/" : p.getPath(),
                  p.getPathType() == null ? "ImplementationSpecific" : p.getPathType(),
                  b.getService().getName(),
                  portText));
        }
      }
      return new Rules(
          ns,
          name,
          "true".equalsIgnoreCase(annotations.get("canary")),
          Map.copyOf(annotations),
          List.copyOf(paths));
    }
  }

  @Override
  public String kind() {
    return "Ingress";
  }

  @Override
  public String namespace() {
    return locations.getFirst().namespace();
  }

  @Override
  public String name() {
    return locations.getFirst().ingress();
  }

  @Override
  public List<HttpRoute> http() {
    return locations.stream().flatMap(l -> l.routes().stream()).toList();
  }

  /** The labels of a request {@code route} (one of this view's) sent to {@code destination}. */
  public Served served(HttpRoute route, String destination) {
    for (Location l : locations) {
      if (l.routes().stream().anyMatch(r -> r == route)) {
        boolean canary = l.canary() != null && l.canary().equals(destination);
        return new Served(
            host,
            l.namespace(),
            l.ingress(),
            l.service(),
            l.path(),
            canary ? l.canaryUpstream() : "");
      }
    }
    throw new IllegalArgumentException("not a route of the Ingresses of " + host);
  }

  /**
   * The view of {@code host} over {@code ingresses} (in the order ingress-nginx met them: the first
   * main Ingress of a host and path wins, and its first canary), or empty when no main Ingress
   * serves the host.
   */
  public static Optional<IngressView> forHost(String host, List<Rules> ingresses) {
    Map<String, PathRule> main = new LinkedHashMap<>();
    Map<String, Rules> canaryOf = new LinkedHashMap<>();
    Map<String, PathRule> canaryPath = new LinkedHashMap<>();
    for (Rules r : ingresses) {
      for (PathRule p : r.paths()) {
        if (!servesHost(p.host(), host)) {
          continue;
        }
        String key = p.pathType() + " " + p.path();
        if (!r.canary()) {
          main.putIfAbsent(key, p);
        } else if (!canaryOf.containsKey(key)) {
          canaryOf.put(key, r);
          canaryPath.put(key, p);
        }
      }
    }
    if (main.isEmpty()) {
      return Optional.empty();
    }
    List<Location> locations = new ArrayList<>();
    for (var e : main.entrySet()) {
      PathRule p = e.getValue();
      Rules canary = canaryOf.get(e.getKey());
      locations.add(location(p, canary, canary == null ? null : canaryPath.get(e.getKey())));
    }
    locations.sort(
        Comparator.comparingInt((Location l) -> exact(l) ? 0 : 1)
            .thenComparing(Comparator.comparingInt((Location l) -> l.path().length()).reversed()));
    return Optional.of(new IngressView(host, List.copyOf(locations)));
  }

  private static boolean exact(Location l) {
    HttpMatch m = l.routes().getFirst().matches().getFirst();
    return m.uri() != null && m.uri().exact() != null;
  }

  private static boolean servesHost(String pattern, String host) {
    return pattern.equals(host)
        || (pattern.startsWith("*.")
            && host.endsWith(pattern.substring(1))
            && host.indexOf('.') == host.length() - pattern.length() + 1);
  }

  private static Location location(PathRule p, Rules canary, PathRule canaryPath) {
    StringMatch uri =
        switch (p.pathType()) {
          case "Exact" -> new StringMatch(p.path(), null, null);
          case "Prefix" -> HttpRouteView.pathPrefix(p.path());
          default -> new StringMatch(null, p.path(), null);
        };
    String primary = p.service() + "." + p.namespace() + ":" + p.port();
    List<HttpRoute> routes = new ArrayList<>();
    if (canary == null) {
      routes.add(route(uri, Map.of(), List.of(new WeightedDestination(primary, 100))));
      return new Location(
          p.namespace(), p.ingress(), p.path(), p.service(), primary, null, null, routes);
    }
    String where = "Ingress " + canary.namespace() + "/" + canary.name() + " annotation " + PREFIX;
    Map<String, String> a = canary.annotations();
    String canaryHost =
        canaryPath.service() + "." + canaryPath.namespace() + ":" + canaryPath.port();
    List<WeightedDestination> toCanary = List.of(new WeightedDestination(canaryHost, 100));
    List<WeightedDestination> toPrimary = List.of(new WeightedDestination(primary, 100));
    String header = blankToNull(a.get("canary-by-header"));
    if (header != null) {
      String name = header.toLowerCase(Locale.ROOT);
      String value = blankToNull(a.get("canary-by-header-value"));
      String pattern = blankToNull(a.get("canary-by-header-pattern"));
      if (value != null) {
        routes.add(route(uri, Map.of(name, new StringMatch(value, null, null)), toCanary));
      } else if (pattern != null) {
        // ngx.re.match finds the pattern anywhere in the value
        routes.add(route(uri, Map.of(name, found(pattern, where)), toCanary));
      } else {
        routes.add(route(uri, Map.of(name, new StringMatch("always", null, null)), toCanary));
        routes.add(route(uri, Map.of(name, new StringMatch("never", null, null)), toPrimary));
      }
    }
    String cookie = blankToNull(a.get("canary-by-cookie"));
    if (cookie != null) {
      routes.add(route(uri, Map.of("cookie", cookie(cookie, "always")), toCanary));
      routes.add(route(uri, Map.of("cookie", cookie(cookie, "never")), toPrimary));
    }
    int total = number(a.get("canary-weight-total"), 100, where + "canary-weight-total");
    int weight =
        Math.min(total, Math.max(0, number(a.get("canary-weight"), 0, where + "canary-weight")));
    routes.add(
        route(
            uri,
            Map.of(),
            List.of(
                new WeightedDestination(canaryHost, weight),
                new WeightedDestination(primary, total - weight))));
    return new Location(
        p.namespace(),
        p.ingress(),
        p.path(),
        p.service(),
        primary,
        canaryHost,
        canaryPath.namespace() + "-" + canaryPath.service() + "-" + canaryPath.port(),
        List.copyOf(routes));
  }

  private static HttpRoute route(
      StringMatch uri, Map<String, StringMatch> headers, List<WeightedDestination> to) {
    return new HttpRoute(List.of(new HttpMatch(uri, null, headers)), to, null, 0, null);
  }

  private static StringMatch found(String pattern, String where) {
    try {
      return new StringMatch(null, null, Pattern.compile("(?s).*(?:" + pattern + ").*"));
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new IllegalArgumentException(
          where + "canary-by-header-pattern must be a regular expression, got " + pattern, e);
    }
  }

  /** The Cookie header holds {@code name=value} among its cookies. */
  private static StringMatch cookie(String name, String value) {
    return new StringMatch(
        null,
        null,
        Pattern.compile(
            "(?:.*;)?\\s*" + Pattern.quote(name) + "=" + Pattern.quote(value) + "\\s*(?:;.*)?"));
  }

  private static int number(String raw, int absent, String where) {
    if (raw == null || raw.isBlank()) {
      return absent;
    }
    try {
      return Integer.parseInt(raw.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + " must be an integer, got " + raw, e);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
