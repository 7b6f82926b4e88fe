package app.flagger.sandbox.mesh;

import static app.flagger.sandbox.mesh.SpecFields.list;
import static app.flagger.sandbox.mesh.SpecFields.map;
import static app.flagger.sandbox.mesh.SpecFields.strings;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the mesh uses of an Istio VirtualService ({@code networking.istio.io}): hosts, gateways and
 * the HTTP routes with their matches, weights, mirror and timeout.
 *
 * @param namespace the VirtualService's namespace
 * @param name its name
 * @param hosts {@code spec.hosts}
 * @param gateways {@code spec.gateways} (empty means {@code mesh})
 * @param http {@code spec.http}
 */
public record VirtualServiceView(
    String namespace, String name, List<String> hosts, List<String> gateways, List<HttpRoute> http)
    implements RouteView {

  @Override
  public String kind() {
    return "VirtualService";
  }

  /** Applies to traffic inside the mesh (no gateways, or {@code mesh} among them). */
  public boolean appliesToMesh() {
    return gateways.isEmpty() || gateways.contains("mesh");
  }

  public static VirtualServiceView of(GenericKubernetesResource vs) {
    String where =
        "VirtualService " + vs.getMetadata().getNamespace() + "/" + vs.getMetadata().getName();
    Map<?, ?> spec = map(vs.getAdditionalProperties().get("spec"), where + " spec");
    List<HttpRoute> routes = new ArrayList<>();
    List<?> http = list(spec.get("http"), where + " spec.http");
    for (int i = 0; i < http.size(); i++) {
      routes.add(
          route(
              map(http.get(i), where + " spec.http[" + i + "]"), where + " spec.http[" + i + "]"));
    }
    return new VirtualServiceView(
        vs.getMetadata().getNamespace(),
        vs.getMetadata().getName(),
        strings(spec.get("hosts")),
        strings(spec.get("gateways")),
        List.copyOf(routes));
  }

  private static HttpRoute route(Map<?, ?> r, String where) {
    List<HttpMatch> matches = new ArrayList<>();
    List<?> rawMatches = list(r.get("match"), where + ".match");
    for (int i = 0; i < rawMatches.size(); i++) {
      matches.add(
          match(map(rawMatches.get(i), where + ".match[" + i + "]"), where + ".match[" + i + "]"));
    }
    List<WeightedDestination> destinations = new ArrayList<>();
    List<?> rawRoute = list(r.get("route"), where + ".route");
    for (int i = 0; i < rawRoute.size(); i++) {
      Map<?, ?> d = map(rawRoute.get(i), where + ".route[" + i + "]");
      Map<?, ?> dest = map(d.get("destination"), where + ".route[" + i + "].destination");
      Object weight = d.get("weight");
      int w = weight == null ? (rawRoute.size() == 1 ? 100 : 0) : ((Number) weight).intValue();
      destinations.add(new WeightedDestination(String.valueOf(dest.get("host")), w));
    }
    String mirrorHost = null;
    double mirrorPercent = 0;
    if (r.get("mirror") instanceof Map<?, ?> mirror) {
      mirrorHost = String.valueOf(mirror.get("host"));
      mirrorPercent = 100;
      if (r.get("mirrorPercentage") instanceof Map<?, ?> pct
          && pct.get("value") instanceof Number n) {
        mirrorPercent = n.doubleValue();
      }
    }
    Duration timeout =
        r.get("timeout") == null ? null : duration(r.get("timeout").toString(), where);
    return new HttpRoute(
        List.copyOf(matches), List.copyOf(destinations), mirrorHost, mirrorPercent, timeout);
  }

  private static HttpMatch match(Map<?, ?> m, String where) {
    Map<String, StringMatch> headers = new LinkedHashMap<>();
    if (m.get("headers") instanceof Map<?, ?> h) {
      h.forEach(
          (k, v) ->
              headers.put(
                  k.toString().toLowerCase(Locale.ROOT),
                  StringMatch.of(v, where + ".headers." + k)));
    }
    Map<String, StringMatch> queryParams = new LinkedHashMap<>();
    if (m.get("queryParams") instanceof Map<?, ?> q) {
      q.forEach(
          (k, v) -> queryParams.put(k.toString(), StringMatch.of(v, where + ".queryParams." + k)));
    }
    return new HttpMatch(
        m.get("uri") == null ? null : StringMatch.of(m.get("uri"), where + ".uri"),
        m.get("method") == null ? null : StringMatch.of(m.get("method"), where + ".method"),
        Map.copyOf(headers),
        Map.copyOf(queryParams));
  }

  /** Istio durations: {@code 15s}, {@code 500ms}, {@code 1m}, {@code 1h}. */
  static Duration duration(String raw, String where) {
    String s = raw.strip();
    try {
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      long n = (long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 1000);
      return switch (s.charAt(s.length() - 1)) {
        case 's' -> Duration.ofMillis(n);
        case 'm' -> Duration.ofMillis(n * 60);
        case 'h' -> Duration.ofMillis(n * 3600);
        default -> throw new NumberFormatException(s);
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          where + ".timeout must be a duration like 15s, got " + raw, e);
    }
  }
}
