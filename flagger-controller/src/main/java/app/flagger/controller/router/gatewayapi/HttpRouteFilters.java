package app.flagger.controller.router.gatewayapi;

import static app.flagger.controller.router.gatewayapi.HttpRouteBuilder.isEmpty;
import static app.flagger.controller.router.gatewayapi.HttpRouteBuilder.service;

import app.flagger.controller.router.gatewayapi.HttpRouteBuilder.Version;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryService;
import app.flagger.model.canary.RequestMirrorFilter;
import app.flagger.model.istio.CorsPolicy;
import app.flagger.model.istio.HeaderOperations;
import app.flagger.model.istio.HttpRewrite;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTPRoute rule filters (Flagger's {@code makeFilters}): header modifiers, URL rewrite, the
 * service's request mirrors and, in {@code v1}, CORS, as {@code HTTPRouteFilter} maps. Pure.
 */
final class HttpRouteFilters {
  private HttpRouteFilters() {}

  /** Header modifiers, URL rewrite, service mirrors and (v1) CORS, in Flagger's order. */
  static List<Object> filters(Canary canary, Version version) {
    CanaryService s = service(canary);
    List<Object> out = new ArrayList<>();
    if (s.headers() != null) {
      if (s.headers().request() != null) {
        out.add(
            filter(
                "RequestHeaderModifier",
                "requestHeaderModifier",
                headerFilter(s.headers().request())));
      }
      if (s.headers().response() != null) {
        out.add(
            filter(
                "ResponseHeaderModifier",
                "responseHeaderModifier",
                headerFilter(s.headers().response())));
      }
    }
    if (s.rewrite() != null) {
      out.add(filter("URLRewrite", "urlRewrite", rewrite(s.rewrite())));
    }
    if (s.mirror() != null) {
      for (RequestMirrorFilter m : s.mirror()) {
        out.add(filter("RequestMirror", "requestMirror", mirror(m, version)));
      }
    }
    if (s.corsPolicy() != null && version == Version.V1) {
      out.add(filter("CORS", "cors", cors(s.corsPolicy())));
    }
    return out;
  }

  private static Map<String, Object> headerFilter(HeaderOperations ops) {
    Map<String, Object> f = new LinkedHashMap<>();
    if (ops.add() != null && !ops.add().isEmpty()) {
      f.put("add", headers(ops.add()));
    }
    if (ops.set() != null && !ops.set().isEmpty()) {
      f.put("set", headers(ops.set()));
    }
    if (ops.remove() != null && !ops.remove().isEmpty()) {
      f.put("remove", new ArrayList<>(ops.remove()));
    }
    return f;
  }

  private static List<Object> headers(Map<String, String> values) {
    List<Object> out = new ArrayList<>();
    new TreeMap<>(values).forEach((k, v) -> out.add(header(k, v)));
    return out;
  }

  static Map<String, Object> header(String name, String value) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("name", name);
    h.put("value", value);
    return h;
  }

  private static Map<String, Object> rewrite(HttpRewrite r) {
    Map<String, Object> f = new LinkedHashMap<>();
    if (!isEmpty(r.authority())) {
      f.put("hostname", r.authority());
    }
    if (!isEmpty(r.uri())) {
      Map<String, Object> path = new LinkedHashMap<>();
      if ("ReplaceFullPath".equals(r.type())) {
        path.put("type", "ReplaceFullPath");
        path.put("replaceFullPath", r.uri());
      } else {
        path.put("type", "ReplacePrefixMatch");
        path.put("replacePrefixMatch", r.uri());
      }
      f.put("path", path);
    }
    return f;
  }

  private static Map<String, Object> mirror(RequestMirrorFilter m, Version version) {
    Map<String, Object> f = new LinkedHashMap<>();
    Map<String, Object> ref = new LinkedHashMap<>();
    if (m.backendRef() != null) {
      RequestMirrorFilter.BackendRef b = m.backendRef();
      putIfSet(ref, "group", b.group());
      putIfSet(ref, "kind", b.kind());
      putIfSet(ref, "name", b.name());
      putIfSet(ref, "namespace", b.namespace());
      putIfSet(ref, "port", b.port());
    }
    f.put("backendRef", ref);
    if (version == Version.V1BETA1) {
      putIfSet(f, "percent", m.percent());
      if (m.fraction() != null) {
        Map<String, Object> fraction = new LinkedHashMap<>();
        putIfSet(fraction, "numerator", m.fraction().numerator());
        putIfSet(fraction, "denominator", m.fraction().denominator());
        f.put("fraction", fraction);
      }
    }
    return f;
  }

  private static Map<String, Object> cors(CorsPolicy c) {
    Map<String, Object> f = new LinkedHashMap<>();
    putList(f, "allowOrigins", c.allowOrigin());
    putList(f, "allowMethods", c.allowMethods());
    putList(f, "allowHeaders", c.allowHeaders());
    putList(f, "exposeHeaders", c.exposeHeaders());
    if (Boolean.TRUE.equals(c.allowCredentials())) {
      f.put("allowCredentials", true);
    }
    if (!isEmpty(c.maxAge())) {
      Long seconds = goDurationSeconds(c.maxAge());
      if (seconds != null) {
        f.put("maxAge", seconds.intValue());
      }
    }
    return f;
  }

  /** Whole seconds of a Go duration such as {@code 24h} or {@code 1h30m}; null when invalid. */
  static Long goDurationSeconds(String value) {
    try {
      return Duration.parse("PT" + value.toUpperCase()).toSeconds();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static void putList(Map<String, Object> f, String key, List<String> values) {
    if (values != null && !values.isEmpty()) {
      f.put(key, new ArrayList<>(values));
    }
  }

  static void putIfSet(Map<String, Object> f, String key, Object value) {
    if (value != null) {
      f.put(key, value);
    }
  }

  static Map<String, Object> filter(String type, String field, Map<String, Object> body) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("type", type);
    f.put(field, body);
    return f;
  }
}
