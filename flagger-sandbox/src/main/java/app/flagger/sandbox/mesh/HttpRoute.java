package app.flagger.sandbox.mesh;

import java.time.Duration;
import java.util.List;

/**
 * One entry of a VirtualService's {@code http} list.
 *
 * @param matches the match list (empty matches every request)
 * @param destinations the weighted destinations
 * @param mirrorHost the host mirrored traffic goes to, or null
 * @param mirrorPercent the share of requests mirrored, 0..100 (100 when mirror is set without it)
 * @param timeout the route's timeout, or null
 */
public record HttpRoute(
    List<HttpMatch> matches,
    List<WeightedDestination> destinations,
    String mirrorHost,
    double mirrorPercent,
    Duration timeout) {

  public boolean matches(MeshRequest request) {
    return matches.isEmpty() || matches.stream().anyMatch(m -> m.matches(request));
  }
}
