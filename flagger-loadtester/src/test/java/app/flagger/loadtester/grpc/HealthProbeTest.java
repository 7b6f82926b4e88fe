package app.flagger.loadtester.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.loadtester.load.CommandLine;
import app.flagger.loadtester.support.GrpcTestServer;
import io.grpc.Metadata;
import java.net.ServerSocket;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The built-in grpc_health_probe: the real tool's messages and exit statuses. */
class HealthProbeTest {
  private static final Function<String, byte[]> NO_FILES =
      f -> {
        throw new IllegalArgumentException("no local files");
      };

  private static HealthProbe.Result probe(String flags) {
    return HealthProbe.run(HealthProbeCommand.parse(CommandLine.split(flags), NO_FILES));
  }

  @Test
  void servingServerExitsZero() {
    try (GrpcTestServer server = GrpcTestServer.start()) {
      assertThat(probe("-connect-timeout=1s -addr=" + server.address()))
          .isEqualTo(new HealthProbe.Result(0, "status: SERVING"));
      assertThat(probe("-addr " + server.address() + " -service podinfo"))
          .isEqualTo(new HealthProbe.Result(0, "status: SERVING"));
    }
  }

  @Test
  void notServingServiceExitsFour() {
    try (GrpcTestServer server = GrpcTestServer.start()) {
      assertThat(probe("-addr=" + server.address() + " -service=down"))
          .isEqualTo(
              new HealthProbe.Result(4, "service unhealthy (responded with \"NOT_SERVING\")"));
    }
  }

  @Test
  void unknownServiceIsAnRpcFailure() {
    try (GrpcTestServer server = GrpcTestServer.start()) {
      assertThat(probe("-addr=" + server.address() + " -service=nope"))
          .isEqualTo(
              new HealthProbe.Result(
                  3,
                  "error: health rpc failed: rpc error: code = NotFound desc = unknown service"
                      + " nope"));
    }
  }

  @Test
  void serverWithoutHealthServiceIsAnRpcFailure() {
    try (GrpcTestServer server = GrpcTestServer.withoutHealth()) {
      HealthProbe.Result r = probe("-addr=" + server.address());
      assertThat(r.exitCode()).isEqualTo(3);
      assertThat(r.output())
          .startsWith(
              "error: this server does not implement the grpc health protocol"
                  + " (grpc.health.v1.Health): ");
    }
  }

  @Test
  void refusedConnectionTimesOutAfterTheConnectTimeout() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    assertThat(probe("-connect-timeout=300ms -addr=127.0.0.1:" + port))
        .isEqualTo(
            new HealthProbe.Result(
                2, "timeout: failed to connect service \"127.0.0.1:" + port + "\" within 300ms"));
  }

  @Test
  void slowHealthCallTimesOutAfterTheRpcTimeout() {
    try (GrpcTestServer server = GrpcTestServer.start()) {
      server.holdAll();
      assertThat(probe("-rpc-timeout=200ms -addr=" + server.address()))
          .isEqualTo(
              new HealthProbe.Result(3, "timeout: health rpc did not complete within 200ms"));
    }
  }

  @Test
  void sendsHeadersAndUserAgent() {
    try (GrpcTestServer server = GrpcTestServer.start()) {
      assertThat(
              probe("-addr=" + server.address() + " -rpc-header 'x-probe: yes' -user-agent=kubelet")
                  .exitCode())
          .isZero();
      Metadata h = server.headers().getFirst();
      assertThat(h.get(Metadata.Key.of("x-probe", Metadata.ASCII_STRING_MARSHALLER)))
          .isEqualTo("yes");
      assertThat(h.get(Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER)))
          .startsWith("kubelet");
    }
  }

  @Test
  void refusesBadArgumentsWithTheToolsMessages() {
    assertThatThrownBy(() -> probe("-connect-timeout=1s"))
        .isInstanceOf(HealthProbeCommand.Invalid.class)
        .hasMessage("error: -addr not specified");
    assertThatThrownBy(() -> probe("-addr=x:1 -frobnicate"))
        .hasMessage("flag provided but not defined: -frobnicate");
    assertThatThrownBy(() -> probe("-addr=x:1 -rpc-timeout=0"))
        .hasMessage("error: -rpc-timeout must be greater than zero (specified: 0s)");
    assertThatThrownBy(() -> probe("-addr=x:1 -connect-timeout=2h"))
        .hasMessage("error: -connect-timeout 2h is over the limit of 1h0m0s");
    assertThatThrownBy(() -> probe("-addr=x:1 -tls-no-verify"))
        .hasMessage("error: specified -tls-no-verify without specifying -tls");
    assertThatThrownBy(() -> probe("-addr=x:1 -connect-timeout=soon"))
        .hasMessage("invalid value \"soon\" for flag -connect-timeout: parse error");
    assertThatThrownBy(() -> probe("-addr=x:1 -tls -tls-ca-cert=/var/run/secrets/ca.crt"))
        .hasMessageContaining("loadtester.load.body-file-dir");
  }
}
