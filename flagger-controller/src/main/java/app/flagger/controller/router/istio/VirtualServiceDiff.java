package app.flagger.controller.router.istio;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.FlaggerGroup;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryService;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and compares VirtualService specs as maps: the comparison ignores weights and mirroring
 * (and, with session affinity, the cookie routes and headers SetRoutes owns), the current split is
 * read from the route that holds the canary, and the original spec of a taken-over object is stored
 * for finalization.
 */
final class VirtualServiceDiff {
  private VirtualServiceDiff() {}

  /**
   * The managed part of a spec, without the fields SetRoutes owns (weights, mirroring, the
   * destination {@code baselineHost} a run with a same-age baseline adds).
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> comparable(
      Map<String, Object> spec, boolean sessionAffinity, String baselineHost) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("hosts", spec.getOrDefault("hosts", List.of()));
    out.put("gateways", spec.getOrDefault("gateways", List.of()));
    for (String key : List.of("http", "tcp")) {
      List<Object> routes = new ArrayList<>();
      for (Object o : (List<Object>) spec.getOrDefault(key, List.of())) {
        Map<String, Object> route = new LinkedHashMap<>((Map<String, Object>) o);
        if (sessionAffinity
            && (IstioVirtualServiceBuilder.STICKY_ROUTE.equals(route.get("name"))
                || matchesCookie(route))) {
          continue;
        }
        route.remove("mirror");
        route.remove("mirrorPercentage");
        List<Object> dests = new ArrayList<>();
        for (Object d : (List<Object>) route.getOrDefault("route", List.of())) {
          if (baselineHost.equals(host(d))) {
            continue;
          }
          Map<String, Object> dest = new LinkedHashMap<>((Map<String, Object>) d);
          dest.remove("weight");
          if (sessionAffinity) {
            dest.remove("headers");
          }
          dests.add(dest);
        }
        route.put("route", dests);
        routes.add(route);
      }
      out.put(key, routes);
    }
    return normalize(out);
  }

  @SuppressWarnings("unchecked")
  private static boolean matchesCookie(Map<String, Object> route) {
    for (Object m : (List<Object>) route.getOrDefault("match", List.of())) {
      Object headers = ((Map<String, Object>) m).get("headers");
      if (headers instanceof Map<?, ?> h
          && h.containsKey(IstioVirtualServiceBuilder.COOKIE_HEADER)) {
        return true;
      }
    }
    return false;
  }

  /** Numbers as doubles so 100 and 100.0 (after a round trip) compare equal. */
  @SuppressWarnings("unchecked")
  private static <T> T normalize(T value) {
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, normalize(v)));
      return (T) out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(normalize(v)));
      return (T) out;
    }
    if (value instanceof Number n) {
      return (T) Double.valueOf(n.doubleValue());
    }
    return value;
  }

  /**
   * The split of the last route that holds the canary host; both zero is an error. A same-age
   * baseline's weight ({@code <apex>-baseline}) counts as the primary's: it is taken from it.
   */
  @SuppressWarnings("unchecked")
  static Routes routes(Map<String, Object> spec, String apex, String ns, boolean tcp) {
    String primary = apex + "-primary";
    String canary = apex + "-canary";
    String baseline = apex + FlaggerGroup.BASELINE_SUFFIX;
    int b = 0;
    Map<String, Object> found = null;
    for (Object o : (List<Object>) spec.getOrDefault(tcp ? "tcp" : "http", List.of())) {
      Map<String, Object> route = (Map<String, Object>) o;
      for (Object d : (List<Object>) route.getOrDefault("route", List.of())) {
        if (canary.equals(host(d))) {
          found = route;
        }
      }
    }
    int p = 0;
    int c = 0;
    boolean mirrored = false;
    if (found != null) {
      for (Object d : (List<Object>) found.getOrDefault("route", List.of())) {
        Object w = ((Map<String, Object>) d).get("weight");
        int weight = w instanceof Number n ? n.intValue() : 0;
        if (primary.equals(host(d))) {
          p = weight;
        } else if (canary.equals(host(d))) {
          c = weight;
        } else if (baseline.equals(host(d))) {
          b = weight;
        }
      }
      mirrored =
          found.get("mirror") instanceof Map<?, ?> m
              && m.get("host") instanceof String h
              && !h.isEmpty();
    }
    p += b;
    if (p == 0 && c == 0) {
      throw new RouterException(
          "VirtualService "
              + apex
              + "."
              + ns
              + " does not contain routes for "
              + apex
              + "-primary and "
              + apex
              + "-canary");
    }
    if (p < 0 || c < 0 || p + c != 100) {
      throw new RouterException(
          "VirtualService "
              + apex
              + "."
              + ns
              + " weights primary "
              + p
              + " canary "
              + c
              + " do not add up to 100");
    }
    return new Routes(p, c, mirrored);
  }

  @SuppressWarnings("unchecked")
  private static Object host(Object dest) {
    Object d = ((Map<String, Object>) dest).get("destination");
    return d instanceof Map<?, ?> m ? m.get("host") : null;
  }

  /** Adds the apex labels/annotations and Flux opt-outs; true when something changed. */
  static boolean mergeMetadata(GenericKubernetesResource vs, Canary canary) {
    CanaryService service = canary.getSpec().service();
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> annotations = new LinkedHashMap<>(IstioObjects.TOOLKIT_ANNOTATIONS);
    if (service != null && service.apex() != null) {
      if (service.apex().labels() != null) {
        labels.putAll(service.apex().labels());
      }
      if (service.apex().annotations() != null) {
        annotations.putAll(service.apex().annotations());
      }
    }
    var meta = vs.getMetadata();
    Map<String, String> newLabels =
        new LinkedHashMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
    Map<String, String> newAnnotations =
        new LinkedHashMap<>(meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
    newLabels.putAll(labels);
    newAnnotations.putAll(annotations);
    boolean changed =
        !newLabels.equals(meta.getLabels() == null ? Map.of() : meta.getLabels())
            || !newAnnotations.equals(
                meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
    meta.setLabels(newLabels);
    meta.setAnnotations(newAnnotations);
    return changed;
  }

  /**
   * Before Flagger first overwrites a VirtualService it did not create, keeps its spec in {@code
   * flagger.kubernetes.io/original-configuration} (unless kubectl's last-applied annotation has
   * it).
   */
  static void keepOriginal(GenericKubernetesResource vs, Canary canary, Map<String, Object> spec) {
    var meta = vs.getMetadata();
    Map<String, String> annotations =
        new LinkedHashMap<>(meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
    if (IstioObjects.ownedBy(meta, canary)
        || annotations.containsKey(IstioObjects.LAST_APPLIED)
        || annotations.containsKey(IstioObjects.ORIGINAL_CONFIGURATION)) {
      return;
    }
    annotations.put(IstioObjects.ORIGINAL_CONFIGURATION, IstioObjects.toJson(spec));
    meta.setAnnotations(annotations);
  }

  /** The spec to restore on finalization, or null when none was kept. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> original(GenericKubernetesResource vs) {
    Map<String, String> a = vs.getMetadata().getAnnotations();
    if (a == null) {
      return null;
    }
    if (a.containsKey(IstioObjects.LAST_APPLIED)) {
      Object applied = IstioObjects.fromJson(a.get(IstioObjects.LAST_APPLIED));
      if (applied instanceof Map<?, ?> m && m.get("spec") instanceof Map<?, ?> spec) {
        return (Map<String, Object>) spec;
      }
    }
    if (a.containsKey(IstioObjects.ORIGINAL_CONFIGURATION)) {
      return (Map<String, Object>)
          IstioObjects.fromJson(a.get(IstioObjects.ORIGINAL_CONFIGURATION));
    }
    return null;
  }
}
