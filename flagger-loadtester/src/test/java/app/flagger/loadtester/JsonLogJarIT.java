package app.flagger.loadtester;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.support.JarProcess;
import app.flagger.model.support.ZapJsonLog;
import jakarta.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The load tester as it ships writes nothing but Flagger's JSON log lines: its packaged jar,
 * started as its image starts it ({@link JarProcess#startShipped}: the Dockerfile's entry point and
 * {@code ENV}), answers a gate check, and every line of its stdout and stderr, up to the last after
 * SIGTERM, parses as one JSON object with zap's keys. A {@code *JarIT}: failsafe runs it after
 * {@code package}.
 */
class JsonLogJarIT {
  static final Path MODULE = Path.of(System.getProperty("basedir", "")).toAbsolutePath();

  /** The bearer token the jar is started with, as a default install mounts one. */
  static final String TOKEN = "3f9c2a7d8e1b4c6a9f0e2d4b6a8c1e3f";

  @Test
  void startupAndAGateCheckAreLoggedAsFlaggersJsonLinesOnly() throws Exception {
    Path dir = MODULE.resolve("target/json-log-it");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env =
        Map.of(
            "SERVER_PORT",
            Integer.toString(port),
            "LOADTESTER_GATES_STORE",
            "memory",
            "LOADTESTER_AUTH_TOKEN",
            TOKEN);
    List<String> log;
    try (JarProcess tester = JarProcess.startShipped(MODULE, "flagger-loadtester", env, dir);
        HttpClient http = HttpClient.newHttpClient()) {
      tester.awaitLogged("Starting load tester", Duration.ofMinutes(2));
      HttpResponse<String> gate =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/gate/check"))
                  .header("Authorization", "Bearer " + TOKEN)
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"name\":\"podinfo\",\"namespace\":\"test\",\"phase\":\"Progressing\"}"))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(gate.statusCode()).isEqualTo(403);
      tester.awaitLogged("podinfo.test gate check", Duration.ofMinutes(1));
      assertThat(tester.stop()).as("stopped on SIGTERM").isTrue();
      log = tester.log();
    }

    List<JsonObject> lines = ZapJsonLog.everyLine(log);
    JsonObject check = ZapJsonLog.first(lines, "podinfo.test gate check: approved false");
    assertThat(check.getString("canary")).isEqualTo("podinfo.test");
    assertThat(check.getString("caller")).matches("gate/GateService\\.java:\\d+");
    assertThat(log).as("the token never reaches the log").noneMatch(l -> l.contains(TOKEN));
  }
}
