package app.flagger.sandbox.mesh;

import java.util.Locale;
import java.util.Optional;

/**
 * A service host name as callers in a cluster write it: {@code <svc>.<ns>}, {@code <svc>.<ns>.svc}
 * or {@code <svc>.<ns>.svc.cluster.local}, each with an optional {@code :port}; a bare {@code
 * <svc>} means the mesh's default namespace.
 *
 * @param host the host as written, lower case, without the port
 * @param service the Service name
 * @param namespace the namespace
 */
public record HostName(String host, String service, String namespace) {

  public static Optional<HostName> parse(String authority, String defaultNamespace) {
    if (authority == null || authority.isBlank()) {
      return Optional.empty();
    }
    String host = authority.strip().toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      return Optional.empty();
    }
    int colon = host.indexOf(':');
    if (colon >= 0) {
      host = host.substring(0, colon);
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (host.endsWith(".svc.cluster.local")) {
      host = host.substring(0, host.length() - ".svc.cluster.local".length());
    } else if (host.endsWith(".svc")) {
      host = host.substring(0, host.length() - ".svc".length());
    }
    String[] parts = host.split("\\.");
    if (parts.length == 1 && !parts[0].isEmpty()) {
      return Optional.of(new HostName(host, parts[0], defaultNamespace));
    }
    if (parts.length == 2) {
      return Optional.of(new HostName(host, parts[0], parts[1]));
    }
    return Optional.empty();
  }

  /** The cluster-local name, Istio's {@code destination_service}. */
  public String fqdn() {
    return service + "." + namespace + ".svc.cluster.local";
  }
}
