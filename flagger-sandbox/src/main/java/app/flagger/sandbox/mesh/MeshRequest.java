package app.flagger.sandbox.mesh;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parts of a request that routing looks at.
 *
 * @param method the HTTP method
 * @param path the path, without the query
 * @param headers the headers, keyed case-insensitively
 */
public record MeshRequest(String method, String path, Map<String, List<String>> headers) {

  public MeshRequest {
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
    headers = copy;
  }

  /** The first value of a header, or null. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.getFirst();
  }
}
