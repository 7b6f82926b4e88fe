package app.flagger.loadtester.load;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The checks every load run passes before it starts: the {@link LoadLimits}, the request headers
 * and the {@link DestinationPolicy}. Headers the generator owns are refused or normalised:
 *
 * <ul>
 *   <li>{@code Content-Length}, {@code Transfer-Encoding}, {@code TE}, {@code Trailer}, {@code
 *       Upgrade} and {@code Proxy-*}: refused (the generator frames the body itself and speaks
 *       plain HTTP/1.1 or HTTP/2 to the target, never through a proxy);
 *   <li>{@code Connection: close}: the run does not keep connections alive ({@code
 *       -disable-keepalive}); {@code Connection: keep-alive} and {@code Keep-Alive}: dropped (the
 *       default); any other {@code Connection} value is refused;
 *   <li>{@code Host}: kept when it names the URL's host; a different host is refused unless it
 *       matches {@code loadtester.destinations.virtual-hosts}.
 * </ul>
 */
public final class LoadGuard {
  private static final Set<String> FRAMING =
      Set.of("content-length", "transfer-encoding", "te", "trailer", "upgrade");

  private final LoadLimits limits;
  private final DestinationPolicy destinations;

  /**
   * @param destinations the destination rules, or {@code null} to leave hosts unchecked and resolve
   *     them when the run starts (tests with made-up host names)
   */
  public LoadGuard(LoadLimits limits, DestinationPolicy destinations) {
    this.limits = limits;
    this.destinations = destinations;
  }

  public LoadLimits limits() {
    return limits;
  }

  /**
   * Checks a gRPC target ({@code ghz}, {@code grpc_health_probe}) against the destination rules.
   * The gRPC client connects by name, so unlike HTTP runs the connection is not pinned to the
   * checked address.
   *
   * @throws IllegalArgumentException naming the host that is refused
   */
  public void checkDestination(String host, int port) {
    if (destinations != null) {
      destinations.check(host, port);
    }
  }

  /**
   * Checks {@code spec} and returns it with normalised headers and the checked address.
   *
   * @throws IllegalArgumentException naming the flag, header or host that is refused
   */
  public LoadSpec check(LoadSpec spec, LoadLimits.Flags flags) {
    limits.check(spec, flags);
    LoadSpec s = headers(spec);
    if (destinations == null) {
      return s;
    }
    return s.withAddress(destinations.check(s.url().getHost(), s.port()));
  }

  private LoadSpec headers(LoadSpec spec) {
    Map<String, String> out = new LinkedHashMap<>();
    boolean keepAlive = spec.keepAlive();
    for (Map.Entry<String, String> h : spec.headers().entrySet()) {
      String name = h.getKey();
      String lower = name.toLowerCase(Locale.ROOT);
      String value = h.getValue().trim();
      if (FRAMING.contains(lower)) {
        throw new IllegalArgumentException(
            "header "
                + name
                + ": refused, the load tester sets the framing and protocol of its requests"
                + " itself");
      }
      if (lower.startsWith("proxy-")) {
        throw new IllegalArgumentException(
            "header " + name + ": refused, the load tester does not go through proxies");
      }
      if (lower.equals("keep-alive")) {
        continue;
      }
      if (lower.equals("connection")) {
        String v = value.toLowerCase(Locale.ROOT);
        if (v.equals("close")) {
          keepAlive = false;
        } else if (!v.equals("keep-alive")) {
          throw new IllegalArgumentException(
              "header "
                  + name
                  + ": only \"close\" (a new connection per request) or \"keep-alive\" is"
                  + " accepted, got \""
                  + value
                  + "\"");
        }
        continue;
      }
      if (lower.equals("host") && !sameHost(value, spec)) {
        if (destinations == null || !destinations.virtualHostAllowed(value)) {
          throw new IllegalArgumentException(
              "header "
                  + name
                  + ": \""
                  + value
                  + "\" differs from the URL's host "
                  + spec.url().getHost()
                  + "; add it to loadtester.destinations.virtual-hosts to send load to that"
                  + " virtual host");
        }
      }
      out.put(name, h.getValue());
    }
    return spec.withHeaders(out, keepAlive);
  }

  private static boolean sameHost(String value, LoadSpec spec) {
    String host = spec.url().getHost();
    String v = value.toLowerCase(Locale.ROOT);
    String h = host.toLowerCase(Locale.ROOT);
    return v.equals(h) || v.equals(h + ":" + spec.port());
  }
}
