package app.flagger.loadtester.load;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.loadtester.support.SelfSignedCertificate;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** https:// targets with a self-signed certificate, as in-cluster services often have. */
class TlsLoadTest {
  @TempDir static Path dir;
  private static HttpsServer server;

  @BeforeAll
  static void start() throws Exception {
    SSLContext ctx = SelfSignedCertificate.create(dir).serverContext();
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ctx));
    server.createContext(
        "/",
        ex -> {
          ex.sendResponseHeaders(200, 2);
          try (OutputStream out = ex.getResponseBody()) {
            out.write("ok".getBytes());
          }
        });
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static String url() {
    return "https://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  @Test
  void heyCommandsSkipCertificateVerificationAsHeyDoes() {
    LoadSpec spec = HeyCommand.parse(List.of("-n", "20", "-c", "2", url()), f -> new byte[0]);
    LoadResult r = new LoadGenerator(1).run(spec, () -> false);
    assertThat(r.statusCounts()).containsEntry(200, 20L);
    assertThat(r.errors()).isEmpty();
  }

  @Test
  void loadChecksVerifyCertificatesByDefault() {
    LoadSpec spec =
        new LoadSpec(
            java.net.URI.create(url()),
            "GET",
            null,
            null,
            java.time.Duration.ZERO,
            4,
            1,
            0,
            java.time.Duration.ofSeconds(30),
            false,
            true);
    LoadResult r = new LoadGenerator(1).run(spec, () -> false);
    assertThat(r.responses()).isZero();
    assertThat(r.transportErrors()).isEqualTo(4);
  }
}
