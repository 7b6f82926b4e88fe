package app.flagger.loadtester.grpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One {@code grpc_health_probe} run.
 *
 * @param addr the {@code -addr} value as given
 * @param service the {@code -service} to check, empty for the server as a whole
 * @param userAgent {@code -user-agent}
 * @param connectTimeout {@code -connect-timeout}
 * @param rpcTimeout {@code -rpc-timeout}
 * @param headers {@code -rpc-header} values in order
 * @param tls {@code -tls}, {@code -tls-no-verify}, {@code -tls-ca-cert}, {@code -tls-server-name}
 * @param gzip {@code -gzip}
 * @param verbose {@code -v}
 * @param version {@code -version}: print the version and exit 0
 */
public record HealthProbeSpec(
    String addr,
    String service,
    String userAgent,
    Duration connectTimeout,
    Duration rpcTimeout,
    List<Map.Entry<String, String>> headers,
    TlsOptions tls,
    boolean gzip,
    boolean verbose,
    boolean version) {
  public HealthProbeSpec {
    headers = List.copyOf(headers);
  }
}
