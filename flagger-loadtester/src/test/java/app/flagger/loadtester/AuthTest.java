package app.flagger.loadtester;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.loadtester.support.TestServer;
import app.flagger.loadtester.support.TestServer.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a token (from a mounted Secret file), every endpoint but health and metrics needs it. */
class AuthTest {
  private static final String BODY = "{\"name\":\"podinfo\",\"namespace\":\"test\"}";
  @TempDir static Path dir;
  private static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    Path token = dir.resolve("token");
    Files.writeString(token, "s3cr3t-t0ken\n");
    server = TestServer.start(TestServer.config(Map.of("auth.token-file", token.toString())));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void refusesRequestsWithoutTheToken() {
    for (String path :
        new String[] {"/", "/gate/approve", "/gate/check", "/gate/open", "/rollback/open"}) {
      assertThat(server.post(path, BODY).status()).as(path).isEqualTo(401);
      assertThat(server.post(path, BODY, "wrong").status()).as(path).isEqualTo(401);
    }
  }

  @Test
  void acceptsTheToken() {
    assertThat(server.post("/gate/approve", BODY, "s3cr3t-t0ken")).isEqualTo(new Reply(200, "OK"));
    assertThat(server.post("/gate/open", BODY, "s3cr3t-t0ken")).isEqualTo(new Reply(202, ""));
    assertThat(server.post("/gate/check", BODY, "s3cr3t-t0ken"))
        .isEqualTo(new Reply(200, "Approved"));
  }

  @Test
  void healthAndMetricsStayOpen() {
    assertThat(server.get("/healthz")).isEqualTo(new Reply(200, "OK"));
    assertThat(server.get("/metrics").status()).isEqualTo(200);
  }
}
