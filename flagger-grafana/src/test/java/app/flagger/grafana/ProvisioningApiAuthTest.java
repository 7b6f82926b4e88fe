package app.flagger.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.grafana.provision.ProvisioningLoop;
import app.flagger.grafana.support.ManualScheduler;
import app.flagger.grafana.support.MutableClock;
import app.flagger.grafana.support.TestConfigs;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provisioner's server as Main sets it up (port 0): {@code /status}, {@code POST /provision}
 * and every other path need the bearer token of {@code grafana.api.token-file}; {@code /health} and
 * {@code /metrics} stay open; without a token file the API is closed.
 */
class ProvisioningApiAuthTest {
  private static final String TOKEN = "0123456789abcdef0123456789abcdef";

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private WebServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void statusAndProvisionNeedTheBearerToken() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, TOKEN + "\n");
    start("api.token-file", token.toString());

    HttpResponse<String> anonymous = get("/status", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"flagger-grafana\"");
    assertThat(anonymous.body()).contains("grafana.api.token-file").doesNotContain(TOKEN);
    assertThat(get("/status", "Bearer wrong").statusCode()).isEqualTo(401);
    assertThat(get("/status", "Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
    assertThat(get("/status", "Basic " + TOKEN).statusCode()).isEqualTo(401);

    HttpResponse<String> status = get("/status", "Bearer " + TOKEN);
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(status.body()).contains("\"phase\"");

    scheduler.runNext(); // provisioned (files mode): the next run is the resync
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMinutes(5));
    assertThat(post("/provision", "Bearer nope").statusCode()).isEqualTo(401);
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMinutes(5));
    assertThat(post("/provision", "Bearer " + TOKEN).statusCode()).isEqualTo(202);
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ZERO);

    // paths the provisioner does not serve are not probed anonymously either
    assertThat(get("/config", null).statusCode()).isEqualTo(401);
  }

  @Test
  void healthAndMetricsStayOpenForProbesAndScraping() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, TOKEN);
    start("api.token-file", token.toString());

    assertThat(get("/health/live", null).statusCode()).isEqualTo(200);
    assertThat(get("/health", null).statusCode()).isIn(200, 503);
    assertThat(get("/metrics", null).statusCode()).isEqualTo(200);
  }

  /** Dot segments and encoded slashes do not reach a guarded route through an open prefix. */
  @Test
  void pathTricksDoNotBypassTheToken() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, TOKEN);
    start("api.token-file", token.toString());

    for (String path :
        List.of(
            "/health/../status",
            "/metrics/../status",
            "/health/%2e%2e/status",
            "/health%2F..%2Fstatus",
            "//status",
            "/./status")) {
      assertThat(rawGet(path)).as(path).doesNotStartWith("HTTP/1.1 200");
    }
  }

  /** The file is read at each request: a rotated Secret applies without a restart. */
  @Test
  void aRotatedTokenAppliesAtOnce() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "first-token");
    start("api.token-file", token.toString());
    assertThat(get("/status", "Bearer first-token").statusCode()).isEqualTo(200);

    Files.writeString(token, "second-token");

    assertThat(get("/status", "Bearer first-token").statusCode()).isEqualTo(401);
    assertThat(get("/status", "Bearer second-token").statusCode()).isEqualTo(200);
  }

  /** No token configured: closed with a message saying what to set, never open. */
  @Test
  void withoutATokenFileTheApiIsClosed() throws Exception {
    start();

    HttpResponse<String> status = get("/status", "Bearer anything");
    assertThat(status.statusCode()).isEqualTo(403);
    assertThat(status.body())
        .contains("grafana.api.token-file")
        .contains("Secret flagger-grafana-api");
    assertThat(post("/provision", null).statusCode()).isEqualTo(403);
    assertThat(get("/health/live", null).statusCode()).isEqualTo(200);
  }

  @Test
  void anUnreadableTokenFileIsAServerErrorThatNamesTheKey() throws Exception {
    start("api.token-file", dir.resolve("missing").toString());

    HttpResponse<String> status = get("/status", "Bearer anything");
    assertThat(status.statusCode()).isEqualTo(503);
    assertThat(status.body()).contains("grafana.api.token-file").contains("missing");
  }

  /** Files mode into the temporary directory: provisioning needs no Grafana. */
  private void start(String... overrides) {
    String[] keys = Arrays.copyOf(overrides, overrides.length + 4);
    keys[overrides.length] = "mode";
    keys[overrides.length + 1] = "files";
    keys[overrides.length + 2] = "output-dir";
    keys[overrides.length + 3] = dir.resolve("out").toString();
    Config config = TestConfigs.config("http://127.0.0.1:1", keys);
    ProvisioningLoop loop = Main.loop(scheduler, clock, new ProvisioningMetrics());
    server =
        WebServer.builder()
            .update(b -> Main.setup(b, config, loop))
            .port(0)
            .host("127.0.0.1")
            .build()
            .start();
    loop.start(GrafanaConfig.from(config.get("grafana")));
  }

  /** The status line of a GET sent as is, without the client normalising the path. */
  private String rawGet(String path) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      return in.readLine();
    }
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET(), authorization);
  }

  private HttpResponse<String> post(String path, String authorization) throws Exception {
    return send(
        HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()), authorization);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private HttpResponse<String> send(HttpRequest.Builder request, String authorization)
      throws Exception {
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
