package app.flagger.controller.router.gatewayapi;

import static app.flagger.controller.router.gatewayapi.HttpRouteBuilder.COOKIE_HEADER;
import static app.flagger.controller.router.gatewayapi.HttpRouteBuilder.REGEX;
import static app.flagger.controller.router.gatewayapi.HttpRouteBuilder.copy;
import static app.flagger.controller.router.gatewayapi.HttpRouteBuilder.isEmpty;
import static app.flagger.controller.router.gatewayapi.HttpRouteBuilder.map;
import static app.flagger.controller.router.gatewayapi.HttpRouteBuilder.service;

import app.flagger.controller.router.RouterException;
import app.flagger.model.canary.Canary;
import app.flagger.model.istio.HttpMatchRequest;
import app.flagger.model.istio.StringMatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTPRoute matches (Flagger's {@code mapRouteMatches} and {@code mergeMatchConditions}):
 * Istio-style match requests of the Canary as {@code HTTPRouteMatch} maps, the cookie matches of
 * session affinity, and the merge of A/B conditions with the service's matches. Pure.
 */
final class HttpRouteMatches {
  private HttpRouteMatches() {}

  /** A match on the Cookie header: {@code .*name.*value.*}. */
  static Map<String, Object> cookieMatch(String cookie) {
    int eq = cookie.indexOf('=');
    String name = eq < 0 ? cookie : cookie.substring(0, eq);
    String value = eq < 0 ? "" : cookie.substring(eq + 1);
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("type", REGEX);
    header.put("name", COOKIE_HEADER);
    header.put("value", ".*" + name + ".*" + value + ".*");
    return map("headers", List.of(header));
  }

  /** The service's matches, a {@code /} prefix match when it has none. */
  static List<Object> serviceMatches(Canary canary) {
    List<Object> m = serviceMatchesRaw(canary);
    if (!m.isEmpty()) {
      return m;
    }
    Map<String, Object> path = new LinkedHashMap<>();
    path.put("type", "PathPrefix");
    path.put("value", "/");
    return List.of(map("path", path));
  }

  static List<Object> serviceMatchesRaw(Canary canary) {
    List<HttpMatchRequest> m = service(canary).match();
    return m == null ? List.of() : matches(m);
  }

  /**
   * Flagger's {@code mergeMatchConditions}: every condition of {@code analysis} combined with every
   * service match, the condition's headers and query parameters replacing the service's.
   */
  @SuppressWarnings("unchecked")
  static List<Object> merge(List<Object> analysis, List<Object> service) {
    if (analysis.isEmpty()) {
      return copy(service);
    }
    if (service.isEmpty()) {
      return copy(analysis);
    }
    List<Object> merged = new ArrayList<>();
    for (Object a : analysis) {
      Map<String, Object> am = (Map<String, Object>) a;
      for (Object s : service) {
        Map<String, Object> m = copy((Map<String, Object>) s);
        if (am.get("headers") instanceof List<?> h && !h.isEmpty()) {
          m.put("headers", copy(h));
        }
        if (am.get("queryParams") instanceof List<?> q && !q.isEmpty()) {
          m.put("queryParams", copy(q));
        }
        merged.add(m);
      }
    }
    return merged;
  }

  /** Istio-style match requests as HTTPRouteMatches; unsupported selectors are an error. */
  static List<Object> matches(List<HttpMatchRequest> requests) {
    List<Object> out = new ArrayList<>();
    for (HttpMatchRequest r : requests) {
      Map<String, Object> m = new LinkedHashMap<>();
      if (r.uri() != null) {
        StringMatch u = r.uri();
        Map<String, Object> path = new LinkedHashMap<>();
        if (!isEmpty(u.regex())) {
          path.put("type", REGEX);
          path.put("value", u.regex());
        } else if (!isEmpty(u.exact())) {
          path.put("type", "Exact");
          path.put("value", u.exact());
        } else if (!isEmpty(u.prefix())) {
          path.put("type", "PathPrefix");
          path.put("value", u.prefix());
        } else {
          throw invalid("path", "uri", u);
        }
        m.put("path", path);
      }
      if (r.method() != null) {
        if (isEmpty(r.method().exact())) {
          throw invalid("header", "method", r.method());
        }
        m.put("method", r.method().exact());
      }
      List<Object> headers = stringMatches(r.headers(), "header", "headers");
      if (!headers.isEmpty()) {
        m.put("headers", headers);
      }
      List<Object> query = stringMatches(r.queryParams(), "query", "queryParams");
      if (!query.isEmpty()) {
        m.put("queryParams", query);
      }
      if (!m.isEmpty()) {
        out.add(m);
      }
    }
    return out;
  }

  private static List<Object> stringMatches(
      Map<String, StringMatch> in, String kind, String field) {
    List<Object> out = new ArrayList<>();
    if (in == null) {
      return out;
    }
    // sorted by name: Go ranges over maps in random order, a stable order avoids spurious updates
    for (var e : new TreeMap<>(in).entrySet()) {
      StringMatch v = e.getValue();
      Map<String, Object> h = new LinkedHashMap<>();
      if (v != null && !isEmpty(v.exact())) {
        h.put("type", "Exact");
        h.put("name", e.getKey());
        h.put("value", v.exact());
      } else if (v != null && !isEmpty(v.regex())) {
        h.put("type", REGEX);
        h.put("name", e.getKey());
        h.put("value", v.regex());
      } else {
        throw invalid(kind, field + "." + e.getKey(), v);
      }
      out.add(h);
    }
    return out;
  }

  private static RouterException invalid(String kind, String field, Object value) {
    return new RouterException(
        "Invalid request matching selectors: Gateway API doesn't support the specified "
            + kind
            + " matching selector: "
            + field
            + " "
            + value
            + " (expected exact or regex"
            + (kind.equals("path") ? ", or prefix" : "")
            + ")");
  }
}
