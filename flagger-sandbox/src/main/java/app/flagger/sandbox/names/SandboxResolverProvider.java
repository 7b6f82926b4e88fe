package app.flagger.sandbox.names;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Lets every caller of this JVM reach sandbox services by their cluster names, as pods do through
 * the cluster DNS: a name the sandbox knows ({@link SandboxNames}) resolves to the mesh's loopback
 * address, and everything else to the system resolver. The JDK loads it through {@code
 * META-INF/services} on the first lookup; it changes nothing while no sandbox runs.
 */
public final class SandboxResolverProvider extends InetAddressResolverProvider {

  @Override
  public InetAddressResolver get(Configuration configuration) {
    // the load tester's pinning resolver may share the class path: lookups go on to it
    InetAddressResolver system =
        app.flagger.loadtester.load.PinnedResolverProvider.next(
            SandboxResolverProvider.class, configuration);
    Optional<InetAddress> all = resolveAll();
    return new InetAddressResolver() {
      @Override
      public Stream<InetAddress> lookupByName(String host, LookupPolicy policy)
          throws UnknownHostException {
        String h = host.toLowerCase(Locale.ROOT);
        if (!h.equals("localhost")) {
          Optional<InetAddress> mesh = all.isPresent() ? all : SandboxNames.lookup(h);
          if (mesh.isPresent()) {
            return Stream.of(mesh.get());
          }
        }
        return system.lookupByName(host, policy);
      }

      @Override
      public String lookupByAddress(byte[] addr) throws UnknownHostException {
        return system.lookupByAddress(addr);
      }
    };
  }

  private static Optional<InetAddress> resolveAll() {
    String to = System.getProperty(SandboxNames.RESOLVE_ALL, "");
    if (to.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByAddress(to, parse(to)));
    } catch (UnknownHostException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          SandboxNames.RESOLVE_ALL + ": expected an IPv4 address, got " + to, e);
    }
  }

  private static byte[] parse(String ipv4) {
    String[] parts = ipv4.strip().split("\\.");
    if (parts.length != 4) {
      throw new IllegalArgumentException("not a.b.c.d");
    }
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      int v = Integer.parseInt(parts[i]);
      if (v < 0 || v > 255) {
        throw new IllegalArgumentException("octet out of range");
      }
      b[i] = (byte) v;
    }
    return b;
  }

  @Override
  public String name() {
    return "flagger-sandbox";
  }
}
