package app.flagger.loadtester.load;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which hosts the built-in generator may send load to. Refused always: link-local addresses
 * (169.254.0.0/16, fe80::/10), cloud metadata endpoints (169.254.169.254, fd00:ec2::254,
 * 100.100.100.200, {@code metadata.google.internal}), the Kubernetes API server (the names {@code
 * kubernetes[.default[.svc[.cluster.local]]]} and the address in {@code KUBERNETES_SERVICE_HOST},
 * which is what those names resolve to in a pod) and the load tester's own port on its own
 * addresses. With an allow-list ({@code loadtester.destinations.allow}), the host must also match
 * one of its patterns.
 *
 * <p>The host is resolved once, every address it resolves to is checked, and the run connects to
 * the first of them ({@link LoadSpec#address()}), so a DNS answer that changes between the check
 * and the connection (rebinding) cannot redirect the load.
 */
public final class DestinationPolicy {
  /** Name resolution, replaced in tests. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private static final Set<String> METADATA_NAMES =
      Set.of("metadata.google.internal", "metadata.goog");
  private static final List<String> METADATA_ADDRESSES =
      List.of("169.254.169.254", "fd00:ec2::254", "100.100.100.200");
  private static final Set<String> API_SERVER_NAMES =
      Set.of(
          "kubernetes",
          "kubernetes.default",
          "kubernetes.default.svc",
          "kubernetes.default.svc.cluster.local");

  private final List<Pattern> allow;
  private final List<String> allowText;
  private final List<Pattern> virtualHosts;
  private final Resolver resolver;
  private final Predicate<InetAddress> local;
  private final IntSupplier ownPort;
  private final Optional<String> apiServerHost;

  /**
   * @param allow host patterns ({@code *} matches any characters); empty allows any host that is
   *     not refused
   * @param virtualHosts patterns of {@code Host} header values that may differ from the URL's host
   * @param resolver resolves host names
   * @param local true for an address of this machine (loopback, any-local, an interface's)
   * @param ownPort the port the load tester listens on, or -1 when not known yet
   * @param apiServerHost {@code KUBERNETES_SERVICE_HOST}, when set
   */
  public DestinationPolicy(
      List<String> allow,
      List<String> virtualHosts,
      Resolver resolver,
      Predicate<InetAddress> local,
      IntSupplier ownPort,
      Optional<String> apiServerHost) {
    this.allowText = List.copyOf(allow);
    this.allow = allow.stream().map(DestinationPolicy::glob).toList();
    this.virtualHosts = virtualHosts.stream().map(DestinationPolicy::glob).toList();
    this.resolver = resolver;
    this.local = local;
    this.ownPort = ownPort;
    this.apiServerHost = apiServerHost.map(String::trim).filter(s -> !s.isEmpty());
  }

  /** The policy of a running load tester: the system resolver, interfaces and environment. */
  public static DestinationPolicy system(
      List<String> allow, List<String> virtualHosts, IntSupplier ownPort) {
    return new DestinationPolicy(
        allow,
        virtualHosts,
        InetAddress::getAllByName,
        DestinationPolicy::isLocal,
        ownPort,
        Optional.ofNullable(System.getenv("KUBERNETES_SERVICE_HOST")));
  }

  /**
   * Resolves {@code host} and checks every address it has.
   *
   * @param port the port the load goes to
   * @return the address to connect to
   * @throws IllegalArgumentException naming the host and why it is refused
   */
  public InetAddress check(String host, int port) {
    String name = hostName(host);
    if (!allow.isEmpty() && allow.stream().noneMatch(p -> p.matcher(name).matches())) {
      throw refused(host, "it matches none of loadtester.destinations.allow " + allowText);
    }
    if (METADATA_NAMES.contains(name)) {
      throw refused(host, "it is a cloud metadata endpoint");
    }
    if (API_SERVER_NAMES.contains(name) || name.startsWith("kubernetes.default.svc.")) {
      throw refused(host, "it is the Kubernetes API server");
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(name);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("destination " + host + ": no such host");
    }
    if (addresses == null || addresses.length == 0) {
      throw new IllegalArgumentException("destination " + host + ": no such host");
    }
    Set<InetAddress> apiServer = apiServerAddresses();
    for (InetAddress a : addresses) {
      for (InetAddress v : views(a)) {
        String why = reason(v, port);
        if (why == null && apiServer.contains(v)) {
          why = "it is the Kubernetes API server";
        }
        if (why != null) {
          boolean literal = name.matches("[0-9.]+") || name.contains(":");
          throw refused(literal ? host : host + " (" + v.getHostAddress() + ")", why);
        }
      }
    }
    return addresses[0];
  }

  /** True when a {@code Host} header of {@code value} may be sent to {@code urlHost}. */
  public boolean virtualHostAllowed(String value) {
    String name = hostName(value.replaceFirst(":\\d+$", ""));
    return virtualHosts.stream().anyMatch(p -> p.matcher(name).matches());
  }

  private String reason(InetAddress a, int port) {
    if (METADATA_ADDRESSES.stream().anyMatch(m -> same(a, m))) {
      return "it is a cloud metadata endpoint";
    }
    if (a.isLinkLocalAddress()) {
      return "it is a link-local address";
    }
    int own = ownPort.getAsInt();
    if (own > 0 && port == own && local.test(a)) {
      return "it is the load tester itself (port " + own + ")";
    }
    return null;
  }

  /**
   * {@code KUBERNETES_SERVICE_HOST}, an IP address in every pod. The API server's names are not
   * resolved for this: where every name resolves to one proxy (the sandbox), that would refuse all.
   */
  private Set<InetAddress> apiServerAddresses() {
    Set<InetAddress> out = new LinkedHashSet<>();
    if (apiServerHost.isPresent()) {
      try {
        for (InetAddress a : resolver.resolve(apiServerHost.get())) {
          out.addAll(views(a));
        }
      } catch (UnknownHostException e) {
        // not an address: nothing to compare with
      }
    }
    return out;
  }

  /** The address plus the IPv4 address embedded in an IPv4-compatible or NAT64 IPv6 address. */
  private static List<InetAddress> views(InetAddress a) {
    List<InetAddress> out = new ArrayList<>(2);
    out.add(a);
    if (a instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
      boolean zeros = true;
      for (int i = nat64 ? 4 : 0; i < 12; i++) {
        zeros &= b[i] == 0;
      }
      if (zeros) {
        try {
          out.add(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return out;
  }

  private static boolean same(InetAddress a, String literal) {
    try {
      return a.equals(InetAddress.getByName(literal));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Loopback, any-local, or an address of one of this machine's interfaces. */
  public static boolean isLocal(InetAddress a) {
    if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
      return true;
    }
    try {
      return NetworkInterface.getByInetAddress(a) != null;
    } catch (SocketException e) {
      return false;
    }
  }

  private static String hostName(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  private static IllegalArgumentException refused(String host, String why) {
    return new IllegalArgumentException(
        "destination " + host + " refused: " + why + " (the load tester does not send load there)");
  }

  private static Pattern glob(String pattern) {
    String[] parts = pattern.trim().toLowerCase(Locale.ROOT).split("\\*", -1);
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        re.append(".*");
      }
      re.append(Pattern.quote(parts[i]));
    }
    return Pattern.compile(re.toString());
  }
}
