package app.flagger.controller.router.gatewayapi;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.SessionAffinity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and compares HTTPRoute specs as maps, as Flagger's {@code cmp.Diff} with its ignore
 * options: backend weights are ignored, empty and missing are equal; with session affinity the
 * cookie rules and backend filters SetRoutes owns are ignored; with mirroring, rule filters are
 * ignored while a run is in progress. Parent references compare with the API server's defaults
 * (group {@code gateway.networking.k8s.io}, kind {@code Gateway}) filled in.
 */
final class HttpRouteDiff {
  private HttpRouteDiff() {}

  /** Whether {@code current} differs from {@code desired} in what Reconcile owns. */
  static boolean differs(Map<String, Object> current, Map<String, Object> desired, Canary canary) {
    return !comparable(current, canary).equals(comparable(desired, canary));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> comparable(Map<String, Object> spec, Canary canary) {
    var analysis = canary.getSpec().analysisOrLegacy();
    SessionAffinity affinity = analysis == null ? null : analysis.sessionAffinity();
    CanaryPhase phase = canary.getStatus() == null ? null : canary.getStatus().phase();
    boolean ignoreRuleFilters =
        analysis != null
            && analysis.mirrored()
            && (phase == CanaryPhase.WAITING
                || phase == CanaryPhase.PROGRESSING
                || phase == CanaryPhase.WAITING_PROMOTION);
    String baseline = HttpRouteBuilder.baselineName(canary);
    Map<String, Object> out = new LinkedHashMap<>();
    List<Object> parents = new ArrayList<>();
    for (Object p : list(spec.get("parentRefs"))) {
      parents.add(parentRef((Map<String, Object>) p));
    }
    out.put("parentRefs", parents);
    out.put("hostnames", list(spec.get("hostnames")));
    List<Object> rules = new ArrayList<>();
    for (Object o : list(spec.get("rules"))) {
      Map<String, Object> rule = HttpRouteBuilder.copy((Map<String, Object>) o);
      if (affinity != null
          && (isCookieRule(rule, affinity.cookieName())
              || isCookieRule(rule, affinity.primaryCookieName()))) {
        continue;
      }
      if (ignoreRuleFilters) {
        rule.remove("filters");
      }
      List<Object> backends = new ArrayList<>();
      for (Object b : list(rule.get("backendRefs"))) {
        Map<String, Object> ref = (Map<String, Object>) b;
        if (baseline.equals(ref.get("name"))) {
          continue; // SetRoutes adds it while a run with a same-age baseline analyses
        }
        ref.remove("weight");
        if (affinity != null) {
          ref.remove("filters");
        }
        backends.add(ref);
      }
      if (rule.containsKey("backendRefs")) {
        rule.put("backendRefs", backends);
      }
      rules.add(rule);
    }
    out.put("rules", rules);
    return (Map<String, Object>) normalize(out);
  }

  /** Flagger's cookie-rule test: a regex match on the Cookie header that contains the name. */
  @SuppressWarnings("unchecked")
  private static boolean isCookieRule(Map<String, Object> rule, String cookieName) {
    String name = cookieName == null ? "" : cookieName;
    for (Object m : list(rule.get("matches"))) {
      for (Object h : list(((Map<String, Object>) m).get("headers"))) {
        Map<String, Object> header = (Map<String, Object>) h;
        if (HttpRouteBuilder.REGEX.equals(header.get("type"))
            && HttpRouteBuilder.COOKIE_HEADER.equals(header.get("name"))
            && header.get("value") instanceof String v
            && v.contains(name)) {
          return true;
        }
      }
    }
    return false;
  }

  /** A parent reference with the CRD's defaults filled in. */
  static Map<String, Object> parentRef(Map<String, Object> ref) {
    Map<String, Object> p = new LinkedHashMap<>(ref);
    p.putIfAbsent("group", HttpRouteBuilder.GROUP);
    p.putIfAbsent("kind", "Gateway");
    return normalize(p);
  }

  /** Empty lists, maps and strings dropped (EquateEmpty), numbers as doubles. */
  @SuppressWarnings("unchecked")
  private static <T> T normalize(T value) {
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach(
          (k, v) -> {
            Object n = normalize(v);
            if (!isEmpty(n)) {
              out.put(k, n);
            }
          });
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

  private static boolean isEmpty(Object v) {
    return v == null
        || (v instanceof Map<?, ?> m && m.isEmpty())
        || (v instanceof List<?> l && l.isEmpty());
  }

  /**
   * Flagger's parent readiness check (v1 only): a status parent matching a spec parent whose
   * Accepted condition is not True, or was observed for an older generation, is an error.
   */
  @SuppressWarnings("unchecked")
  static void checkParents(
      Map<String, Object> spec, Map<String, Object> status, long generation, String key) {
    for (Object p : list(spec.get("parentRefs"))) {
      Map<String, Object> ref = parentRef((Map<String, Object>) p);
      for (Object ps : list(status == null ? null : status.get("parents"))) {
        Map<String, Object> parentStatus = (Map<String, Object>) ps;
        if (!(parentStatus.get("parentRef") instanceof Map<?, ?> statusRef)
            || !parentRef((Map<String, Object>) statusRef).equals(ref)) {
          continue;
        }
        for (Object c : list(parentStatus.get("conditions"))) {
          Map<String, Object> cond = (Map<String, Object>) c;
          long observed = cond.get("observedGeneration") instanceof Number n ? n.longValue() : 0L;
          String st = cond.get("status") == null ? "" : cond.get("status").toString();
          if ("Accepted".equals(cond.get("type"))
              && (!"True".equals(st) || observed < generation)) {
            throw new RouterException(
                "HTTPRoute "
                    + key
                    + " parent "
                    + ((Map<String, Object>) p).get("name")
                    + " is not ready (status: "
                    + st
                    + ", observed generation: "
                    + observed
                    + ", current generation: "
                    + generation
                    + ")");
          }
        }
      }
    }
  }

  /**
   * The split as Flagger's GetRoutes reads it: with session affinity the rule whose backends carry
   * filters, else the last rule with two backends; mirrored when a rule mirrors to the canary. A
   * same-age baseline's backend ({@code <apex>-baseline}) is not counted among the two, and its
   * weight counts as the primary's: it is taken from it.
   */
  @SuppressWarnings("unchecked")
  static Routes routes(Map<String, Object> spec, Canary canary, String key) {
    String primary = HttpRouteBuilder.primaryName(canary);
    String canaryName = HttpRouteBuilder.canaryName(canary);
    String baseline = HttpRouteBuilder.baselineName(canary);
    boolean affinity = HttpRouteBuilder.hasSessionAffinity(canary);
    Map<String, Object> weighted = null;
    int p = 0;
    int c = 0;
    int baselineWeight = 0;
    boolean mirrored = false;
    for (Object o : list(spec.get("rules"))) {
      Map<String, Object> rule = (Map<String, Object>) o;
      List<Object> backends = new ArrayList<>(list(rule.get("backendRefs")));
      Map<String, Object> baselineRef = baselineRef(backends, baseline);
      if (baselineRef != null) {
        backends.remove(baselineRef);
        baselineWeight = weight(baselineRef);
      }
      if (affinity) {
        for (Object b : backends) {
          if (!list(((Map<String, Object>) b).get("filters")).isEmpty()) {
            weighted = rule;
          }
        }
      }
      if (backends.size() == 2) {
        for (Object b : backends) {
          Map<String, Object> ref = (Map<String, Object>) b;
          if (primary.equals(ref.get("name"))) {
            p = weight(ref);
          } else if (canaryName.equals(ref.get("name"))) {
            c = weight(ref);
          }
        }
      }
      for (Object f : list(rule.get("filters"))) {
        Map<String, Object> filter = (Map<String, Object>) f;
        if ("RequestMirror".equals(filter.get("type"))
            && filter.get("requestMirror") instanceof Map<?, ?> m
            && m.get("backendRef") instanceof Map<?, ?> ref
            && canaryName.equals(ref.get("name"))) {
          mirrored = true;
        }
      }
    }
    if (weighted != null) {
      for (Object b : list(weighted.get("backendRefs"))) {
        Map<String, Object> ref = (Map<String, Object>) b;
        if (primary.equals(ref.get("name"))) {
          p = weight(ref);
        } else if (canaryName.equals(ref.get("name"))) {
          c = weight(ref);
        }
      }
    }
    p += baselineWeight;
    if (p + c != 100) {
      throw new RouterException(
          "HTTPRoute "
              + key
              + " has no weighted rule to "
              + primary
              + " and "
              + canaryName
              + " adding up to 100 (primary "
              + p
              + ", canary "
              + c
              + ")");
    }
    return new Routes(p, c, mirrored);
  }

  /** The backend {@code <apex>-baseline} of a same-age baseline, or null. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> baselineRef(List<Object> backends, String baseline) {
    for (Object o : backends) {
      if (baseline.equals(((Map<String, Object>) o).get("name"))) {
        return (Map<String, Object>) o;
      }
    }
    return null;
  }

  private static int weight(Map<String, Object> ref) {
    return ref.get("weight") instanceof Number n ? n.intValue() : 1;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return o instanceof List<?> l ? (List<Object>) l : List.of();
  }
}
