package app.flagger.loadtester.curl;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.loadtester.support.FakePodinfo;
import app.flagger.loadtester.support.SelfSignedCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** https:// with a self-signed certificate: verified by default, accepted with -k. */
class CurlTlsTest {
  @TempDir static Path dir;
  private static SelfSignedCertificate cert;
  private static MockWebServer server;

  @BeforeAll
  static void start() throws IOException {
    cert = SelfSignedCertificate.create(dir);
    server = new MockWebServer();
    server.useHttps(cert.serverContext().getSocketFactory());
    server.setDispatcher(new FakePodinfo());
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static NativePipeline.Result curl(CurlClient client, String args) {
    String url = "https://127.0.0.1:" + server.getPort() + "/healthz";
    return NativePipeline.parse("curl " + args + " " + url).run(client, () -> false);
  }

  @Test
  void anUntrustedCertificateIsExit60() {
    NativePipeline.Result r = curl(new CurlClient(CurlClient.ANY_DESTINATION), "-sS");
    assertThat(r.exitCode()).isEqualTo(60);
    assertThat(r.output()).startsWith("curl: (60) SSL certificate problem: ");
  }

  @Test
  void insecureAcceptsAnyCertificate() {
    NativePipeline.Result r = curl(new CurlClient(CurlClient.ANY_DESTINATION), "-sk");
    assertThat(r).isEqualTo(new NativePipeline.Result(0, "{\n  \"status\": \"OK\"\n}", false));
    assertThat(curl(new CurlClient(CurlClient.ANY_DESTINATION), "-s --insecure").exitCode())
        .isZero();
  }

  @Test
  void aTrustedCertificateIsVerifiedWithItsHostName() {
    CurlClient trusting = new CurlClient(CurlClient.ANY_DESTINATION, cert.trustingClient());
    assertThat(curl(trusting, "-s -w ' %{scheme}'").output())
        .isEqualTo("{\n  \"status\": \"OK\"\n} HTTPS");
  }
}
