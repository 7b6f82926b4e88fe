package app.flagger.sandbox.mesh;

import java.util.Map;

/**
 * One entry of an HTTP route's {@code match} list: every condition present must hold.
 *
 * @param uri the path condition, or null
 * @param method the method condition, or null
 * @param headers header conditions by lower-case header name
 * @param queryParams query parameter conditions by parameter name
 */
public record HttpMatch(
    StringMatch uri,
    StringMatch method,
    Map<String, StringMatch> headers,
    Map<String, StringMatch> queryParams) {

  /** A match without query parameter conditions. */
  public HttpMatch(StringMatch uri, StringMatch method, Map<String, StringMatch> headers) {
    this(uri, method, headers, Map.of());
  }

  public boolean matches(MeshRequest request) {
    if (uri != null && !uri.matches(request.path())) {
      return false;
    }
    if (method != null && !method.matches(request.method())) {
      return false;
    }
    for (var h : headers.entrySet()) {
      if (!h.getValue().matches(request.header(h.getKey()))) {
        return false;
      }
    }
    for (var q : queryParams.entrySet()) {
      if (!q.getValue().matches(request.queryParam(q.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
