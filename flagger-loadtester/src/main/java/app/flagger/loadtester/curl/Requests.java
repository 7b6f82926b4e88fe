package app.flagger.loadtester.curl;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request bytes curl writes: the request line, {@code Host}, {@code User-Agent}, {@code
 * Accept}, the {@code -H} headers in order, then {@code Content-Length} and {@code Content-Type}
 * for a body. A {@code -H} header named like one of curl's own replaces it; one without a value
 * removes it.
 */
final class Requests {
  private Requests() {}

  static byte[] render(
      CurlCommand c,
      String method,
      URI uri,
      int port,
      List<CurlCommand.Header> custom,
      byte[] body) {
    Map<String, String> own = new LinkedHashMap<>();
    own.put("Host", authority(uri, port));
    own.put("User-Agent", CurlClient.USER_AGENT);
    own.put("Accept", c.json() ? "application/json" : "*/*");
    Map<String, String> trailing = new LinkedHashMap<>();
    if (body != null) {
      trailing.put("Content-Length", Integer.toString(body.length));
      trailing.put(
          "Content-Type", c.json() ? "application/json" : "application/x-www-form-urlencoded");
    }
    List<CurlCommand.Header> extra = new ArrayList<>();
    for (CurlCommand.Header h : custom) {
      if (!replace(own, h) && !replace(trailing, h)) {
        if (h.value() != null) {
          extra.add(h);
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(method).append(' ').append(target(uri)).append(" HTTP/1.1\r\n");
    own.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
    extra.forEach(h -> sb.append(h.name()).append(": ").append(h.value()).append("\r\n"));
    trailing.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
    sb.append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
    if (body != null) {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  /** Replaces or removes curl's own header named like {@code h}; true when there was one. */
  private static boolean replace(Map<String, String> own, CurlCommand.Header h) {
    for (String name : own.keySet()) {
      if (name.equalsIgnoreCase(h.name())) {
        if (h.value() == null) {
          own.remove(name);
        } else {
          own.put(name, h.value());
        }
        return true;
      }
    }
    return false;
  }

  private static String authority(URI uri, int port) {
    String host = uri.getHost();
    boolean https = uri.getScheme().toLowerCase(Locale.ROOT).equals("https");
    boolean defaultPort = port == (https ? 443 : 80);
    return defaultPort ? host : host + ":" + port;
  }

  private static String target(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }
}
