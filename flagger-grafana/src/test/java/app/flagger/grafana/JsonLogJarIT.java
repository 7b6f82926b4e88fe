package app.flagger.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.support.JarProcess;
import app.flagger.model.support.ZapJsonLog;
import jakarta.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * flagger-grafana as it ships writes nothing but JSON log lines in the controller's format: its
 * packaged jar, started as its image starts it ({@link JarProcess#startShipped}), waits for a
 * Grafana that is not there, and every line of its stdout and stderr, up to the last after SIGTERM,
 * parses as one JSON object with zap's keys. A {@code *JarIT}: failsafe runs it after {@code
 * package}.
 */
class JsonLogJarIT {
  static final Path MODULE = Path.of(System.getProperty("basedir", "")).toAbsolutePath();

  @Test
  void waitingForGrafanaIsLoggedAsJsonLinesOnly() throws Exception {
    Path dir = MODULE.resolve("target/json-log-it");
    Map<String, String> env =
        Map.of(
            "SERVER_PORT",
            Integer.toString(freePort()),
            // nothing listens there: the provisioner waits and says so
            "GRAFANA_URL",
            "http://127.0.0.1:" + freePort(),
            "FLAGGER_GRAFANA_CONFIG",
            dir.resolve("absent.yaml").toString());
    List<String> log;
    try (JarProcess provisioner = JarProcess.startShipped(MODULE, "flagger-grafana", env, dir)) {
      provisioner.awaitLogged("Waiting for Grafana", Duration.ofMinutes(2));
      assertThat(provisioner.stop()).as("stopped on SIGTERM").isTrue();
      log = provisioner.log();
    }

    List<JsonObject> lines = ZapJsonLog.everyLine(log);
    assertThat(ZapJsonLog.first(lines, "flagger-grafana listening on port").getString("caller"))
        .matches("grafana/Main\\.java:\\d+");
    assertThat(ZapJsonLog.first(lines, "Waiting for Grafana").getString("level")).isEqualTo("info");
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
