package app.flagger.loadtester;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.loadtester.support.TestServer;
import app.flagger.loadtester.support.TestServer.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** With a token (from a mounted Secret file), every endpoint but health and metrics needs it. */
class AuthTest {
  private static final String TOKEN = "s3cr3t-t0ken";
  private static final String BODY = "{\"name\":\"podinfo\",\"namespace\":\"test\"}";
  @TempDir static Path dir;
  private static TestServer server;

  /** Every route of the API, and paths no route serves: all answer 401 before anything else. */
  static List<String> protectedPaths() {
    return List.of(
        "/",
        "/gate/approve",
        "/gate/halt",
        "/gate/check",
        "/gate/open",
        "/gate/close",
        "/rollback/check",
        "/rollback/open",
        "/rollback/close",
        "/no-such-route",
        "/healthz/",
        "/metricsx",
        "/healthzz");
  }

  @BeforeAll
  static void start() throws IOException {
    Path token = dir.resolve("token");
    Files.writeString(token, TOKEN + "\n");
    server = TestServer.start(TestServer.config(Map.of("auth.token-file", token.toString())));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @MethodSource("protectedPaths")
  void everyRouteAnswers401WithoutTheToken(String path) {
    for (String method : List.of("GET", "POST", "PUT", "DELETE")) {
      Reply none = server.request(method, path, null);
      assertThat(none.status()).as(method + " " + path).isEqualTo(401);
      assertThat(none.body())
          .as(method + " " + path)
          .isEqualTo("Unauthorized: a valid bearer token is required");
      assertThat(server.request(method, path, "wrong").status())
          .as(method + " " + path + " with a wrong token")
          .isEqualTo(401);
      assertThat(server.request(method, path, TOKEN + "x").status())
          .as(method + " " + path + " with a longer token")
          .isEqualTo(401);
    }
    assertThat(server.post(path, BODY).status()).as("POST " + path + " with a body").isEqualTo(401);
  }

  @Test
  void gateAndRollbackEndpointsWorkWithTheToken() {
    assertThat(server.post("/gate/approve", BODY, TOKEN)).isEqualTo(new Reply(200, "OK"));
    assertThat(server.post("/gate/halt", BODY, TOKEN)).isEqualTo(new Reply(403, "Forbidden"));
    assertThat(server.post("/gate/open", BODY, TOKEN)).isEqualTo(new Reply(202, ""));
    assertThat(server.post("/gate/check", BODY, TOKEN)).isEqualTo(new Reply(200, "Approved"));
    assertThat(server.post("/gate/close", BODY, TOKEN)).isEqualTo(new Reply(202, ""));
    assertThat(server.post("/rollback/open", BODY, TOKEN)).isEqualTo(new Reply(202, ""));
    assertThat(server.post("/rollback/check", BODY, TOKEN)).isEqualTo(new Reply(200, "Approved"));
    assertThat(server.post("/rollback/close", BODY, TOKEN)).isEqualTo(new Reply(202, ""));
  }

  @Test
  void healthAndMetricsStayOpenForProbesAndScraping() {
    assertThat(server.get("/healthz")).isEqualTo(new Reply(200, "OK"));
    assertThat(server.get("/health").status()).isIn(200, 204);
    assertThat(server.get("/health/live").status()).isIn(200, 204);
    assertThat(server.get("/health/ready").status()).isIn(200, 204);
    assertThat(server.get("/metrics").status()).isEqualTo(200);
  }

  /** Dot segments after an open path must not reach a protected route without the token. */
  @Test
  void dotSegmentsAfterAnOpenPathDoNotBypassTheToken() throws IOException {
    for (String path :
        List.of(
            "/metrics/../gate/open",
            "/health/../gate/open",
            "/health/live/../../gate/open",
            "/healthz/../gate/open",
            "/metrics/%2e%2e/gate/open",
            "/health/%2E%2E/rollback/open",
            "/metrics/..%2fgate/open")) {
      String status = rawPost(path);
      assertThat(status).as(path).doesNotContain(" 202");
      assertThat(status).as(path).containsAnyOf(" 401", " 400", " 404");
    }
    assertThat(server.post("/gate/check", BODY, TOKEN)).isEqualTo(new Reply(403, "Forbidden"));
  }

  /** The status line of a POST sent as written (the JDK client would normalise the path). */
  private static String rawPost(String path) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST "
                  + path
                  + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  + "Connection: close\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      s.setSoTimeout(30_000);
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
        line.append((char) c);
      }
      return line.toString().strip();
    }
  }
}
