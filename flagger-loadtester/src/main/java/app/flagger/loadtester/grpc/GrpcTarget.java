package app.flagger.loadtester.grpc;

/**
 * A gRPC server address as ghz and grpc_health_probe take it: {@code host:port}, {@code [::1]:port}
 * or {@code dns:///host:port}.
 */
public record GrpcTarget(String host, int port) {
  public GrpcTarget {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("missing host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
    }
  }

  /**
   * @throws IllegalArgumentException when {@code address} is not {@code host:port}
   */
  public static GrpcTarget parse(String address) {
    String a = address.trim();
    if (a.startsWith("dns:///")) {
      a = a.substring("dns:///".length());
    }
    int colon = a.lastIndexOf(':');
    if (colon <= 0 || colon == a.length() - 1) {
      throw new IllegalArgumentException(
          "expected host:port, got \"" + address + "\" (e.g. podinfo-canary.test:9999)");
    }
    String host = a.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":") || host.contains("/")) {
      throw new IllegalArgumentException(
          "expected host:port, got \"" + address + "\" (e.g. podinfo-canary.test:9999)");
    }
    try {
      return new GrpcTarget(host, Integer.parseInt(a.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "expected host:port, got \"" + address + "\": the port is not a number", e);
    }
  }

  /** {@code host:port} as written in messages ({@code [::1]:port} for IPv6). */
  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
