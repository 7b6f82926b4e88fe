package app.flagger.sandbox.names;

import java.net.InetAddress;
import java.util.Optional;
import java.util.function.Function;

/**
 * The sandbox's cluster DNS: which host names resolve to the mesh, and to which loopback address.
 * {@link SandboxResolverProvider} consults it for every lookup of this JVM; with no sandbox running
 * every name goes to the system resolver.
 *
 * <p>A child process (the load tester) is told with the system property {@link #RESOLVE_ALL} to
 * resolve every name but {@code localhost} to the mesh address given there.
 */
public final class SandboxNames {
  /** System property: resolve every name but localhost to this address (child processes). */
  public static final String RESOLVE_ALL = "flagger.sandbox.resolve-all-to";

  private static volatile Function<String, Optional<InetAddress>> names = h -> Optional.empty();

  private SandboxNames() {}

  /** Installs the names of a running sandbox; returns what to call on close. */
  public static Runnable install(Function<String, Optional<InetAddress>> lookup) {
    names = lookup;
    return () -> {
      if (names == lookup) {
        names = h -> Optional.empty();
      }
    };
  }

  /** The mesh address for {@code host}, or empty to ask the system resolver. */
  static Optional<InetAddress> lookup(String host) {
    return names.apply(host);
  }
}
