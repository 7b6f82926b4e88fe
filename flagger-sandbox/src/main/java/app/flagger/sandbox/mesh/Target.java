package app.flagger.sandbox.mesh;

import java.util.List;

/**
 * A Service a request goes to, with its ready endpoints.
 *
 * @param service the Service's host
 * @param endpoints its ready endpoints (possibly none)
 * @param envoyCluster the Envoy cluster a Gateway API implementation reports the requests under
 *     ({@code <namespace>_<service>_<port>}), or null when no gateway route chose it
 * @param ingress the labels ingress-nginx reports the request under, or null when no Ingress chose
 *     it
 */
public record Target(
    HostName service, List<Endpoint> endpoints, String envoyCluster, IngressView.Served ingress) {

  public Target(HostName service, List<Endpoint> endpoints) {
    this(service, endpoints, null, null);
  }

  /** The same target, reported under {@code cluster}. */
  public Target inCluster(String cluster) {
    return new Target(service, endpoints, cluster, ingress);
  }

  /** The same target, reported as ingress-nginx served it. */
  public Target viaIngress(IngressView.Served served) {
    return new Target(service, endpoints, envoyCluster, served);
  }
}
