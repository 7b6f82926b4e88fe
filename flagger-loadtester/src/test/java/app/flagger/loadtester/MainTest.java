package app.flagger.loadtester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Start-up: closed by default, open only when the operator says so, and then loudly. */
class MainTest {
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private final Logger log = Logger.getLogger(Main.class.getName());

  @BeforeEach
  void captureLog() {
    log.addHandler(capture);
  }

  @AfterEach
  void releaseLog() {
    log.removeHandler(capture);
  }

  private static Config config(Map<String, String> loadtester) {
    Map<String, String> all = new HashMap<>();
    all.put("server.host", "127.0.0.1");
    all.put("server.port", "0");
    all.put("server.features.observe.endpoint", "/");
    all.put("server.features.observe.observers.metrics.built-in-meter-name-format", "SNAKE");
    all.put("loadtester.gates.store", "memory");
    loadtester.forEach((k, v) -> all.put("loadtester." + k, v));
    return Config.just(ConfigSources.create(all));
  }

  private static String metrics(int port) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }

  private static String gauge(String exposition) {
    return exposition
        .lines()
        .filter(l -> l.startsWith("flagger_loadtester_auth_disabled"))
        .findFirst()
        .orElse("<missing>");
  }

  @Test
  void refusesToStartWithoutAToken() {
    assertThatThrownBy(() -> Main.start(config(Map.of()), Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no bearer token configured for the load tester, refusing to start")
        .hasMessageContaining("loadtester.auth.disabled to true");
  }

  @Test
  void refusesToStartWithAnUnreadableTokenFile() {
    assertThatThrownBy(
            () ->
                Main.start(
                    config(Map.of("auth.token-file", "/nonexistent/flagger-loadtester-auth/token")),
                    Clock.systemUTC()))
        .hasMessageStartingWith(
            "loadtester.auth.token-file: cannot read /nonexistent/flagger-loadtester-auth/token");
  }

  @Test
  void disabledAuthenticationIsAWarningAndAMetric() throws Exception {
    try (Main.Running running =
        Main.start(config(Map.of("auth.disabled", "true")), Clock.systemUTC())) {
      assertThat(logged)
          .filteredOn(r -> r.getLevel() == Level.WARNING)
          .extracting(LogRecord::getMessage)
          .containsExactly(
              "authentication is disabled (loadtester.auth.disabled is true): anyone who can reach"
                  + " this service can run tasks and open or close gates");
      assertThat(gauge(metrics(running.port()))).endsWith(" 1.0");
    }
  }

  @Test
  void withATokenNothingIsWarnedAndTheMetricIsZero() throws Exception {
    try (Main.Running running =
        Main.start(config(Map.of("auth.token", "t0ken")), Clock.systemUTC())) {
      assertThat(logged).noneMatch(r -> r.getLevel() == Level.WARNING);
      assertThat(gauge(metrics(running.port()))).endsWith(" 0.0");
    }
  }
}
