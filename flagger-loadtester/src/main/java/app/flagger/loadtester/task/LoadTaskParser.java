package app.flagger.loadtester.task;

import app.flagger.loadtester.load.GoDuration;
import app.flagger.loadtester.load.LoadCriteria;
import app.flagger.loadtester.load.LoadSpec;
import app.flagger.model.json.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the metadata of a {@code type: load} webhook (all values are strings, as in a Canary):
 * {@code url}, {@code method}, {@code headers} (a JSON object or {@code Name: value} lines), {@code
 * body}, {@code duration}, {@code requests}, {@code rate} or {@code concurrency}, {@code timeout},
 * and the criteria {@code maxErrorRate} (percent), {@code maxP95}, {@code maxP99}, {@code
 * minRequests}.
 */
final class LoadTaskParser {
  static final int DEFAULT_CONCURRENCY = 10;
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private LoadTaskParser() {}

  static LoadSpec spec(Map<String, String> md) {
    String url = md.get("url");
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(
          "url: required for type load (e.g. http://podinfo-canary.test:9898/)");
    }
    Duration duration = optionalDuration(md, "duration");
    long requests = optionalLong(md, "requests", 0);
    if (duration == null && requests == 0) {
      throw new IllegalArgumentException(
          "duration: required for type load (e.g. 1m), or set requests");
    }
    double rate = optionalDouble(md, "rate", 0);
    int concurrency = (int) optionalLong(md, "concurrency", DEFAULT_CONCURRENCY);
    Duration timeout = optionalDuration(md, "timeout");
    return new LoadSpec(
        uri(url),
        md.getOrDefault("method", "GET"),
        headers(md.get("headers")),
        md.getOrDefault("body", "").getBytes(StandardCharsets.UTF_8),
        duration,
        requests,
        concurrency,
        rate,
        timeout == null ? DEFAULT_TIMEOUT : timeout,
        false,
        true,
        "true".equalsIgnoreCase(md.getOrDefault("insecureSkipVerify", "").trim()),
        null);
  }

  static LoadCriteria criteria(Map<String, String> md) {
    Double maxErrorRate = null;
    if (md.containsKey("maxErrorRate")) {
      maxErrorRate = optionalDouble(md, "maxErrorRate", 0);
      if (maxErrorRate > 100) {
        throw new IllegalArgumentException(
            "maxErrorRate: a percentage between 0 and 100, got " + md.get("maxErrorRate"));
      }
    }
    Long minRequests = md.containsKey("minRequests") ? optionalLong(md, "minRequests", 0) : null;
    return new LoadCriteria(
        maxErrorRate, optionalDuration(md, "maxP95"), optionalDuration(md, "maxP99"), minRequests);
  }

  private static URI uri(String url) {
    try {
      return new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("url: invalid URL \"" + url + "\": " + e.getReason(), e);
    }
  }

  static Map<String, String> headers(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    String t = text.trim();
    if (t.startsWith("{")) {
      try (var r = Jsons.createReader(new StringReader(t))) {
        JsonObject o = r.readObject();
        o.forEach(
            (k, v) -> {
              if (!(v instanceof JsonString s)) {
                throw new IllegalArgumentException("headers." + k + ": must be a string");
              }
              out.put(k, s.getString());
            });
      } catch (JsonParsingException e) {
        throw new IllegalArgumentException("headers: invalid JSON object: " + e.getMessage(), e);
      }
      return out;
    }
    for (String line : t.split("\\R")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(
            "headers: expected \"Name: value\" lines, got \"" + line + "\"");
      }
      out.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
    }
    return out;
  }

  private static Duration optionalDuration(Map<String, String> md, String key) {
    String v = md.get(key);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return GoDuration.parse(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }

  private static long optionalLong(Map<String, String> md, String key, long def) {
    String v = md.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(key + ": must be a whole number >= 0, got \"" + v + "\"");
  }

  private static double optionalDouble(Map<String, String> md, String key, double def) {
    String v = md.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    try {
      double d = Double.parseDouble(v.trim().replaceFirst("%$", ""));
      if (d >= 0 && !Double.isInfinite(d)) {
        return d;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(key + ": must be a number >= 0, got \"" + v + "\"");
  }
}
