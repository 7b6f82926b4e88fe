package app.flagger.sandbox.mesh;

import java.util.List;

/**
 * The routing rules of one object the mesh reads: an Istio VirtualService, a Gateway API HTTPRoute
 * or an SMI TrafficSplit, mapped to the same {@link HttpRoute}s, tried in order.
 */
public interface RouteView {
  /** The object's kind, for messages. */
  String kind();

  String namespace();

  String name();

  /** The routes, most specific first: the first that matches a request applies. */
  List<HttpRoute> http();

  /**
   * Whether a Gateway API implementation serves these routes: the mesh then reports the requests as
   * Envoy's upstream cluster statistics too.
   */
  default boolean gateway() {
    return false;
  }
}
