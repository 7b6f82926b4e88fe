package app.flagger.loadtester.grpc;

/**
 * Transport security of a gRPC connection.
 *
 * @param enabled TLS instead of plaintext
 * @param skipVerify accept any server certificate and name
 * @param caCert PEM roots to trust instead of the JVM's, or {@code null}
 * @param serverName name to verify the certificate against instead of the host, or {@code null}
 */
public record TlsOptions(boolean enabled, boolean skipVerify, byte[] caCert, String serverName) {
  public static final TlsOptions PLAINTEXT = new TlsOptions(false, false, null, null);
}
