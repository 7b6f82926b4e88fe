package app.flagger.loadtester.load;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link LoadSpec} as the bytes of one HTTP/1.1 request, built once per run. */
final class RequestBytes {
  static final String USER_AGENT = "flagger-loadtester/0.1";

  private RequestBytes() {}

  static byte[] build(LoadSpec spec) {
    StringBuilder sb = new StringBuilder(256);
    String path = spec.url().getRawPath();
    if (path == null || path.isEmpty()) {
      path = "/";
    }
    if (spec.url().getRawQuery() != null) {
      path += "?" + spec.url().getRawQuery();
    }
    sb.append(spec.method()).append(' ').append(path).append(" HTTP/1.1\r\n");
    boolean host = false;
    boolean agent = false;
    boolean length = false;
    for (Map.Entry<String, String> h : spec.headers().entrySet()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      host |= name.equals("host");
      agent |= name.equals("user-agent");
      length |= name.equals("content-length");
      sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    if (!host) {
      sb.append("Host: ").append(authority(spec)).append("\r\n");
    }
    if (!agent) {
      sb.append("User-Agent: ").append(USER_AGENT).append("\r\n");
    }
    if (!length && (spec.body().length > 0 || needsLength(spec.method()))) {
      sb.append("Content-Length: ").append(spec.body().length).append("\r\n");
    }
    if (!spec.keepAlive()) {
      sb.append("Connection: close\r\n");
    }
    sb.append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream(sb.length() + spec.body().length);
    out.writeBytes(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(spec.body());
    return out.toByteArray();
  }

  private static boolean needsLength(String method) {
    return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
  }

  private static String authority(LoadSpec spec) {
    String host = spec.url().getHost();
    int port = spec.url().getPort();
    return port > 0 ? host + ":" + port : host;
  }
}
