package app.flagger.sandbox.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.sandbox.names.SandboxNames;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster names without a proxy setting: the JVM's resolver maps them to the mesh's own loopback
 * address, where the mesh listens on the service ports; a caller's own address names its workload.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceNamesTest {
  @TempDir Path logs;
  private MeshFixture f;
  private int servicePort;
  private Runnable uninstall;

  @BeforeAll
  void start() throws Exception {
    f = new MeshFixture(logs, Map.of());
    try (ServerSocket s = new ServerSocket(0)) {
      servicePort = s.getLocalPort();
    }
    InetAddress meshAddress = f.mesh.openServicePorts(List.of(servicePort), 4242);
    uninstall =
        SandboxNames.install(
            h -> f.mesh.isClusterName(h) ? Optional.of(meshAddress) : Optional.empty());
  }

  @AfterAll
  void stop() {
    uninstall.run();
    f.close();
  }

  @Test
  void clusterNamesResolveToTheMeshAndOtherNamesToTheSystem() throws Exception {
    InetAddress a = InetAddress.getByName("podinfo-primary.test");
    assertThat(a.getHostAddress())
        .startsWith("127.")
        .isEqualTo(f.mesh.serviceAddress().getHostAddress());
    assertThat(InetAddress.getByName("podinfo.test.svc.cluster.local")).isEqualTo(a);
    assertThat(InetAddress.getByName("localhost").isLoopbackAddress()).isTrue();
    // a namespace the sandbox does not know is not a cluster name
    assertThatThrownBy(() -> InetAddress.getByName("podinfo.nowhere-" + servicePort))
        .isInstanceOf(UnknownHostException.class);
  }

  @Test
  void aPlainClientReachesAServiceByNameAndItsAddressNamesTheCaller() throws Exception {
    InetAddress callers = f.mesh.addressFor(new Source("flagger-loadtester", "test"));
    try (HttpClient plain = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build()) {
      HttpResponse<String> byName =
          plain.send(
              HttpRequest.newBuilder(
                      URI.create("http://podinfo-canary.test:" + servicePort + "/version"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(byName.statusCode()).isEqualTo(200);
      assertThat(byName.body()).contains("6.0.1");
    }
    for (int i = 0; i < 3; i++) {
      try (Socket s = new Socket(callers, servicePort)) {
        OutputStream out = s.getOutputStream();
        out.write(
            "GET /status/418 HTTP/1.1\r\nHost: podinfo-canary.test\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(all).startsWith("HTTP/1.1 418");
      }
    }
    for (String reporter : List.of("destination", "source")) {
      assertThat(
              f.mesh
                  .telemetry()
                  .requests(
                      s ->
                          s.reporter().equals(reporter)
                              && s.sourceWorkload().equals("flagger-loadtester")
                              && s.responseCode() == 418))
          .as(reporter)
          .isEqualTo(3);
    }
  }
}
