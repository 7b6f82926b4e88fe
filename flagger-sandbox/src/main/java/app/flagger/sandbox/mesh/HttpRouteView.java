package app.flagger.sandbox.mesh;

import static app.flagger.sandbox.mesh.SpecFields.list;
import static app.flagger.sandbox.mesh.SpecFields.map;
import static app.flagger.sandbox.mesh.SpecFields.strings;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the mesh uses of a Gateway API HTTPRoute ({@code gateway.networking.k8s.io} v1 and v1beta1):
 * the hostnames, the Services it is attached to as a parent (GAMMA mesh routing), and per rule the
 * matches (path, headers, query parameters, method), the weighted {@code backendRefs}, the first
 * {@code RequestMirror} filter and the request timeout. Each match of each rule becomes one {@link
 * HttpRoute}, sorted by the Gateway API's precedence: exact path, then the longest path prefix,
 * then a method, then the most header matches, then the most query matches, then the order written.
 *
 * @param namespace the route's namespace
 * @param name its name
 * @param hostnames {@code spec.hostnames} (may hold {@code *.} wildcards)
 * @param parentServices the Services among {@code spec.parentRefs}, as {@code <name>.<namespace>}
 * @param http the routes, most specific first
 */
public record HttpRouteView(
    String namespace,
    String name,
    List<String> hostnames,
    List<String> parentServices,
    List<HttpRoute> http)
    implements RouteView {

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

  @Override
  public String kind() {
    return "HTTPRoute";
  }

  @Override
  public boolean gateway() {
    return true;
  }

  /** Whether {@code host} (lower case, no port) is one of the hostnames, wildcards included. */
  public boolean servesHostname(String host) {
    for (String h : hostnames) {
      String n = h.toLowerCase(Locale.ROOT);
      if (n.equals(host)
          || (n.startsWith("*.") && host.endsWith(n.substring(1)) && host.length() > n.length())) {
        return true;
      }
    }
    return false;
  }

  /** Whether the route is attached to the Service {@code host} names (a mesh route). */
  public boolean attachedTo(HostName host) {
    return parentServices.contains(host.service() + "." + host.namespace());
  }

  public static HttpRouteView of(GenericKubernetesResource route) {
    String ns = route.getMetadata().getNamespace();
    String where = "HTTPRoute " + ns + "/" + route.getMetadata().getName();
    Map<?, ?> spec = map(route.getAdditionalProperties().get("spec"), where + " spec");
    List<String> services = new ArrayList<>();
    List<?> parents = list(spec.get("parentRefs"), where + " spec.parentRefs");
    for (int i = 0; i < parents.size(); i++) {
      Map<?, ?> p = map(parents.get(i), where + " spec.parentRefs[" + i + "]");
      if ("Service".equals(p.get("kind")) && p.get("name") != null) {
        services.add(p.get("name") + "." + (p.get("namespace") == null ? ns : p.get("namespace")));
      }
    }
    List<Ranked> ranked = new ArrayList<>();
    List<?> rules = list(spec.get("rules"), where + " spec.rules");
    for (int i = 0; i < rules.size(); i++) {
      String at = where + " spec.rules[" + i + "]";
      rule(map(rules.get(i), at), at, ns, ranked);
    }
    ranked.sort(Ranked.PRECEDENCE);
    return new HttpRouteView(
        ns,
        route.getMetadata().getName(),
        strings(spec.get("hostnames")),
        List.copyOf(services),
        ranked.stream().map(Ranked::route).toList());
  }

  private static void rule(Map<?, ?> r, String where, String ns, List<Ranked> out) {
    List<WeightedDestination> destinations = new ArrayList<>();
    List<?> refs = list(r.get("backendRefs"), where + ".backendRefs");
    for (int i = 0; i < refs.size(); i++) {
      Map<?, ?> ref = map(refs.get(i), where + ".backendRefs[" + i + "]");
      int weight = ref.get("weight") instanceof Number n ? n.intValue() : 1;
      destinations.add(new WeightedDestination(backend(ref, ns), weight));
    }
    String mirrorHost = null;
    double mirrorPercent = 0;
    List<?> filters = list(r.get("filters"), where + ".filters");
    for (int i = 0; i < filters.size() && mirrorHost == null; i++) {
      Map<?, ?> f = map(filters.get(i), where + ".filters[" + i + "]");
      if ("RequestMirror".equals(f.get("type"))) {
        Map<?, ?> m = map(f.get("requestMirror"), where + ".filters[" + i + "].requestMirror");
        mirrorHost =
            backend(
                map(m.get("backendRef"), where + ".filters[" + i + "].requestMirror.backendRef"),
                ns);
        mirrorPercent = mirrorPercent(m);
      }
    }
    Duration timeout = null;
    if (r.get("timeouts") instanceof Map<?, ?> t && t.get("request") != null) {
      timeout = duration(t.get("request").toString(), where + ".timeouts.request");
    }
    List<?> matches = list(r.get("matches"), where + ".matches");
    if (matches.isEmpty()) {
      // no matches: every request, ranked as the prefix "/"
      HttpRoute all = new HttpRoute(List.of(), destinations, mirrorHost, mirrorPercent, timeout);
      out.add(new Ranked(all, 1, 1, false, 0, 0, out.size()));
      return;
    }
    for (int i = 0; i < matches.size(); i++) {
      String at = where + ".matches[" + i + "]";
      Map<?, ?> m = map(matches.get(i), at);
      HttpMatch match = match(m, at);
      HttpRoute route =
          new HttpRoute(
              List.of(match), List.copyOf(destinations), mirrorHost, mirrorPercent, timeout);
      Map<?, ?> path = m.get("path") instanceof Map<?, ?> p ? p : Map.of();
      String type = text(path, "type", "PathPrefix");
      String value = text(path, "value", "/");
      out.add(
          new Ranked(
              route,
              switch (type) {
                case "Exact" -> 0;
                case "PathPrefix" -> 1;
                default -> 2;
              },
              value.length(),
              match.method() != null,
              match.headers().size(),
              match.queryParams().size(),
              out.size()));
    }
  }

  private static HttpMatch match(Map<?, ?> m, String where) {
    StringMatch path = null;
    if (m.get("path") instanceof Map<?, ?> p) {
      String type = text(p, "type", "PathPrefix");
      String value = text(p, "value", "/");
      path =
          switch (type) {
            case "Exact" -> new StringMatch(value, null, null);
            case "PathPrefix" -> pathPrefix(value);
            case "RegularExpression" -> new StringMatch(null, null, Pattern.compile(value));
            default ->
                throw new IllegalArgumentException(
                    where
                        + ".path.type must be Exact, PathPrefix or RegularExpression, got "
                        + type);
          };
    }
    StringMatch method =
        m.get("method") == null ? null : new StringMatch(m.get("method").toString(), null, null);
    return new HttpMatch(
        path,
        method,
        named(m.get("headers"), where + ".headers", true),
        named(m.get("queryParams"), where + ".queryParams", false));
  }

  /**
   * Path elements, as the Gateway API matches a prefix: /api matches /api and /api/x, not /apix.
   */
  static StringMatch pathPrefix(String value) {
    String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    if (trimmed.isEmpty()) {
      return new StringMatch(null, "/", null);
    }
    return new StringMatch(null, null, Pattern.compile(Pattern.quote(trimmed) + "(/.*)?"));
  }

  private static Map<String, StringMatch> named(Object raw, String where, boolean header) {
    Map<String, StringMatch> out = new LinkedHashMap<>();
    List<?> items = list(raw, where);
    for (int i = 0; i < items.size(); i++) {
      Map<?, ?> h = map(items.get(i), where + "[" + i + "]");
      if (h.get("name") == null || h.get("value") == null) {
        throw new IllegalArgumentException(where + "[" + i + "] needs name and value, got " + h);
      }
      String name = h.get("name").toString();
      String value = h.get("value").toString();
      String type = text(h, "type", "Exact");
      StringMatch match =
          switch (type) {
            case "Exact" -> new StringMatch(value, null, null);
            case "RegularExpression" -> new StringMatch(null, null, Pattern.compile(value));
            default ->
                throw new IllegalArgumentException(
                    where + "[" + i + "].type must be Exact or RegularExpression, got " + type);
          };
      out.put(header ? name.toLowerCase(Locale.ROOT) : name, match);
    }
    return Map.copyOf(out);
  }

  private static String text(Map<?, ?> m, String key, String absent) {
    Object v = m.get(key);
    return v == null ? absent : v.toString();
  }

  /** {@code <name>.<namespace>:<port>}, the namespace defaulting to the route's. */
  private static String backend(Map<?, ?> ref, String ns) {
    String host =
        ref.get("name") + "." + (ref.get("namespace") == null ? ns : ref.get("namespace"));
    return ref.get("port") instanceof Number port ? host + ":" + port.intValue() : host;
  }

  /** {@code percent}, else {@code fraction} (denominator 100 by default), else every request. */
  private static double mirrorPercent(Map<?, ?> m) {
    if (m.get("percent") instanceof Number n) {
      return n.doubleValue();
    }
    if (m.get("fraction") instanceof Map<?, ?> f && f.get("numerator") instanceof Number num) {
      double den = f.get("denominator") instanceof Number d ? d.doubleValue() : 100;
      return den <= 0 ? 0 : num.doubleValue() * 100 / den;
    }
    return 100;
  }

  /** Gateway API durations (GEP-2257): {@code 15s}, {@code 500ms}, {@code 1h30m}. */
  static Duration duration(String raw, String where) {
    String s = raw.strip();
    Matcher m = DURATION.matcher(s);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      double n = Double.parseDouble(m.group(1));
      long millis =
          switch (m.group(2)) {
            case "ms" -> (long) n;
            case "s" -> (long) (n * 1000);
            case "m" -> (long) (n * 60_000);
            default -> (long) (n * 3_600_000);
          };
      total = total.plusMillis(millis);
      end = m.end();
    }
    if (s.isEmpty() || end != s.length()) {
      throw new IllegalArgumentException(
          where + " must be a duration like 15s or 1h30m, got " + raw);
    }
    return total;
  }

  private record Ranked(
      HttpRoute route,
      int pathRank,
      int pathLength,
      boolean method,
      int headers,
      int queryParams,
      int order) {
    static final Comparator<Ranked> PRECEDENCE =
        Comparator.comparingInt(Ranked::pathRank)
            .thenComparing(Comparator.comparingInt(Ranked::pathLength).reversed())
            .thenComparing(r -> !r.method())
            .thenComparing(Comparator.comparingInt(Ranked::headers).reversed())
            .thenComparing(Comparator.comparingInt(Ranked::queryParams).reversed())
            .thenComparingInt(Ranked::order);
  }
}
