package app.flagger.sandbox.mesh;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parts of a request that routing looks at.
 *
 * @param method the HTTP method
 * @param path the path, without the query
 * @param query the raw query string, without {@code ?} (empty when none)
 * @param headers the headers, keyed case-insensitively
 */
public record MeshRequest(
    String method, String path, String query, Map<String, List<String>> headers) {

  public MeshRequest {
    query = query == null ? "" : query;
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
    headers = copy;
  }

  /** A request without a query string. */
  public MeshRequest(String method, String path, Map<String, List<String>> headers) {
    this(method, path, "", headers);
  }

  /** The first value of a header, or null. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.getFirst();
  }

  /** The first value of a query parameter (decoded, name compared exactly), or null. */
  public String queryParam(String name) {
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (key.equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
