package app.flagger.loadtester.grpc;

import app.flagger.loadtester.load.GoDuration;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a {@code grpc_health_probe} command line (v0.4 flags, Go {@code flag} syntax: {@code
 * -name=value}, {@code -name value}, one or two dashes, switches without a value) and checks it as
 * the tool does, with its messages. A refused command line ends like the tool's: exit status 1.
 */
public final class HealthProbeCommand {
  private static final Duration MAX_TIMEOUT = GrpcLimits.DEFAULTS.maxDuration();

  private static final Set<String> SWITCHES =
      Set.of("tls", "tls-no-verify", "alts", "v", "version", "gzip", "spiffe");
  private static final Set<String> VALUES =
      Set.of(
          "addr",
          "service",
          "user-agent",
          "connect-timeout",
          "rpc-timeout",
          "rpc-header",
          "tls-ca-cert",
          "tls-client-cert",
          "tls-client-key",
          "tls-server-name");

  private HealthProbeCommand() {}

  /** A command line the probe refuses, with the tool's message. */
  public static final class Invalid extends IllegalArgumentException {
    Invalid(String message) {
      super(message);
    }
  }

  /**
   * Parses the arguments after {@code grpc_health_probe}.
   *
   * @param files reads {@code -tls-ca-cert}; throws {@link IllegalArgumentException} when reading
   *     local files is not allowed
   * @throws Invalid with the tool's message when the arguments are refused
   */
  public static HealthProbeSpec parse(List<String> args, Function<String, byte[]> files) {
    Map<String, String> f = new HashMap<>();
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--") || !a.startsWith("-") || a.equals("-")) {
        break; // Go's flag package stops at the first non-flag
      }
      String name = a.startsWith("--") ? a.substring(2) : a.substring(1);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (SWITCHES.contains(name)) {
        if (value != null && !Set.of("true", "false", "1", "0").contains(value)) {
          throw new Invalid(
              "invalid boolean value \"" + value + "\" for -" + name + ": parse error");
        }
        f.put(name, value == null || value.equals("true") || value.equals("1") ? "true" : "false");
        continue;
      }
      if (!VALUES.contains(name)) {
        throw new Invalid("flag provided but not defined: -" + name);
      }
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new Invalid("flag needs an argument: -" + name);
        }
        value = args.get(++i);
      }
      if (name.equals("rpc-header")) {
        int colon = value.indexOf(':');
        if (colon < 0) {
          throw new Invalid(
              "invalid value \""
                  + value
                  + "\" for flag -rpc-header: invalid RPC header, expected 'key: value', got \""
                  + value
                  + "\"");
        }
        headers.add(
            new AbstractMap.SimpleImmutableEntry<>(
                value.substring(0, colon), value.substring(colon + 1).stripLeading()));
      } else {
        f.put(name, value);
      }
    }
    return check(f, headers, files);
  }

  private static HealthProbeSpec check(
      Map<String, String> f,
      List<Map.Entry<String, String>> headers,
      Function<String, byte[]> files) {
    boolean version = on(f, "version");
    Duration connect = duration(f, "connect-timeout");
    Duration rpc = duration(f, "rpc-timeout");
    boolean tls = on(f, "tls");
    boolean noVerify = on(f, "tls-no-verify");
    String ca = f.getOrDefault("tls-ca-cert", "");
    String serverName = f.getOrDefault("tls-server-name", "");
    String clientCert = f.getOrDefault("tls-client-cert", "");
    String clientKey = f.getOrDefault("tls-client-key", "");
    if (!version) {
      if (f.getOrDefault("addr", "").isEmpty()) {
        throw new Invalid("error: -addr not specified");
      }
      require(
          !connect.isNegative() && !connect.isZero(),
          "error: -connect-timeout must be greater than zero (specified: "
              + GoDurations.format(connect)
              + ")");
      require(
          !rpc.isNegative() && !rpc.isZero(),
          "error: -rpc-timeout must be greater than zero (specified: "
              + GoDurations.format(rpc)
              + ")");
      require(
          !(on(f, "alts") && on(f, "spiffe")),
          "error: -alts and -spiffe are mutually incompatible");
      require(!(tls && on(f, "alts")), "error: cannot specify -tls with -alts");
      require(tls || !noVerify, "error: specified -tls-no-verify without specifying -tls");
      require(tls || ca.isEmpty(), "error: specified -tls-ca-cert without specifying -tls");
      require(
          tls || clientCert.isEmpty(), "error: specified -tls-client-cert without specifying -tls");
      require(
          tls || serverName.isEmpty(), "error: specified -tls-server-name without specifying -tls");
      require(
          clientCert.isEmpty() || !clientKey.isEmpty(),
          "error: specified -tls-client-cert without specifying -tls-client-key");
      require(
          !clientCert.isEmpty() || clientKey.isEmpty(),
          "error: specified -tls-client-key without specifying -tls-client-cert");
      require(
          !(noVerify && !ca.isEmpty()),
          "error: cannot specify -tls-ca-cert with -tls-no-verify (CA cert would not be used)");
      require(
          !(noVerify && !serverName.isEmpty()),
          "error: cannot specify -tls-server-name with -tls-no-verify (server name would not be used)");
      require(!(tls && on(f, "spiffe")), "-tls and -spiffe are mutually incompatible");
      require(
          clientCert.isEmpty(),
          "error: -tls-client-cert is not supported by the built-in grpc_health_probe");
      require(!on(f, "alts"), "error: -alts is not supported by the built-in grpc_health_probe");
      require(
          !on(f, "spiffe"), "error: -spiffe is not supported by the built-in grpc_health_probe");
    }
    byte[] caCert = null;
    if (!ca.isEmpty()) {
      try {
        caCert = files.apply(ca);
      } catch (IllegalArgumentException e) {
        throw new Invalid(
            "failed to initialize tls credentials. error=failed to load root CA certificates from"
                + " file ("
                + ca
                + ") error=local files are read only from loadtester.load.body-file-dir ("
                + e.getMessage()
                + ")");
      }
    }
    return new HealthProbeSpec(
        f.getOrDefault("addr", ""),
        f.getOrDefault("service", ""),
        f.getOrDefault("user-agent", "grpc_health_probe"),
        connect,
        rpc,
        headers,
        new TlsOptions(tls, noVerify, caCert, serverName.isEmpty() ? null : serverName),
        on(f, "gzip"),
        on(f, "v"),
        version);
  }

  private static boolean on(Map<String, String> f, String name) {
    return "true".equals(f.get(name));
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new Invalid(message);
    }
  }

  private static Duration duration(Map<String, String> f, String name) {
    String v = f.get(name);
    if (v == null) {
      return Duration.ofSeconds(1);
    }
    Duration d;
    try {
      d = GoDuration.parse(v);
    } catch (IllegalArgumentException e) {
      throw new Invalid("invalid value \"" + v + "\" for flag -" + name + ": parse error");
    }
    if (d.compareTo(MAX_TIMEOUT) > 0) {
      // the probe does not watch the task timeout: its own timeouts bound it
      throw new Invalid(
          "error: -" + name + " " + v + " is over the limit of " + GoDurations.format(MAX_TIMEOUT));
    }
    return d;
  }
}
