package app.flagger.loadtester.load;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * The JVM's name resolver with pins: while a load run on the JDK HTTP client ({@code https://},
 * HTTP/2) targets a host, that host resolves to the address the destination rules checked, so the
 * client cannot be sent elsewhere by a DNS answer that changed after the check. Every other lookup
 * goes to the next resolver. Installed through {@code META-INF/services}; the plain-HTTP engine
 * needs no pin, it connects to the checked address itself.
 *
 * <p>The JVM uses only the first provider on the class path. So that providers on one class path
 * (the sandbox registers one for cluster names) all take part, each passes the lookups it does not
 * answer to the provider after it ({@link #next}), the last one to the built-in resolver.
 */
public final class PinnedResolverProvider extends InetAddressResolverProvider {
  private static final Map<String, Pin> PINS = new HashMap<>();
  private static volatile boolean installed;

  private record Pin(InetAddress address, int users) {}

  @Override
  public InetAddressResolver get(Configuration configuration) {
    installed = true;
    InetAddressResolver builtin = next(PinnedResolverProvider.class, configuration);
    return new InetAddressResolver() {
      @Override
      public Stream<InetAddress> lookupByName(String host, LookupPolicy policy)
          throws UnknownHostException {
        InetAddress pinned = pinned(host);
        if (pinned == null) {
          return builtin.lookupByName(host, policy);
        }
        boolean v4 = (policy.characteristics() & LookupPolicy.IPV4) != 0;
        boolean v6 = (policy.characteristics() & LookupPolicy.IPV6) != 0;
        if ((pinned instanceof Inet4Address && !v4) || (pinned instanceof Inet6Address && !v6)) {
          throw new UnknownHostException(host + ": pinned to an address of the other family");
        }
        return Stream.of(InetAddress.getByAddress(host, pinned.getAddress()));
      }

      @Override
      public String lookupByAddress(byte[] addr) throws UnknownHostException {
        return builtin.lookupByAddress(addr);
      }
    };
  }

  @Override
  public String name() {
    return "flagger-loadtester-pinned";
  }

  /**
   * The resolver of the provider after {@code self} on the class path, or the built-in one: the
   * chain every provider of this project follows.
   */
  public static InetAddressResolver next(
      Class<? extends InetAddressResolverProvider> self, Configuration configuration) {
    boolean after = false;
    for (InetAddressResolverProvider p :
        ServiceLoader.load(InetAddressResolverProvider.class, self.getClassLoader())) {
      if (after) {
        return p.get(configuration);
      }
      after = p.getClass() == self;
    }
    return configuration.builtinResolver();
  }

  /**
   * True once the JVM uses this resolver. The JVM picks its resolver at the first lookup; this
   * makes one when needed.
   */
  static boolean active() {
    if (!installed) {
      try {
        InetAddress.getAllByName("localhost");
      } catch (UnknownHostException e) {
        // the resolver is chosen all the same
      }
    }
    return installed;
  }

  /**
   * Pins {@code host} to {@code address} until the returned action runs. When the host is already
   * pinned (another run), that pin stays: it was checked the same way.
   */
  static Runnable pin(String host, InetAddress address) {
    String key = host.toLowerCase(Locale.ROOT);
    synchronized (PINS) {
      PINS.merge(key, new Pin(address, 1), (old, add) -> new Pin(old.address(), old.users() + 1));
    }
    return () -> {
      synchronized (PINS) {
        PINS.computeIfPresent(
            key, (k, p) -> p.users() <= 1 ? null : new Pin(p.address(), p.users() - 1));
      }
    };
  }

  private static InetAddress pinned(String host) {
    synchronized (PINS) {
      Pin p = PINS.get(host.toLowerCase(Locale.ROOT));
      return p == null ? null : p.address();
    }
  }
}
