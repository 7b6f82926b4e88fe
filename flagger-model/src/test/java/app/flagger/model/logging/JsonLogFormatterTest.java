package app.flagger.model.logging;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {
  private static JsonObject parse(String line) {
    try (var r = Json.createReader(new StringReader(line))) {
      return r.readObject();
    }
  }

  /** Logs {@code message} through a real logger whose handler formats on this thread. */
  private static String logThroughJul(Level level, String message, Throwable thrown) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StreamHandler h = new StreamHandler(out, new JsonLogFormatter());
    Logger log = Logger.getLogger("app.flagger.model.logging.test");
    log.setUseParentHandlers(false);
    log.addHandler(h);
    try {
      log.log(level, message, thrown);
      h.flush();
    } finally {
      log.removeHandler(h);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void writesFlaggersZapKeysInZapsOrderWithTheCanaryField() {
    LogRecord r = new LogRecord(Level.INFO, "Advance podinfo.test canary weight 10");
    r.setInstant(Instant.parse("2026-01-01T10:00:00.097Z"));
    r.setSourceClassName("app.flagger.controller.events.LogEventSink");
    r.setSourceMethodName("record");
    r.setParameters(new Object[] {new JsonLogFormatter.CanaryField("podinfo.test")});

    String line = new JsonLogFormatter().format(r);

    assertThat(line).endsWith(System.lineSeparator());
    JsonObject o = parse(line);
    assertThat(List.copyOf(o.keySet())).containsExactly("level", "ts", "caller", "msg", "canary");
    assertThat(o.getString("level")).isEqualTo("info");
    assertThat(o.getString("ts")).isEqualTo("2026-01-01T10:00:00.097Z");
    assertThat(o.getString("msg")).isEqualTo("Advance podinfo.test canary weight 10");
    assertThat(o.getString("canary")).isEqualTo("podinfo.test");
  }

  @Test
  void tsIsUtcWithExactlyThreeFractionDigitsLikeZapsIso8601() {
    LogRecord whole = new LogRecord(Level.INFO, "x");
    whole.setInstant(Instant.parse("2026-01-01T10:00:00Z"));
    LogRecord nanos = new LogRecord(Level.INFO, "x");
    nanos.setInstant(Instant.parse("2026-01-01T10:00:00.123456789Z"));

    assertThat(parse(new JsonLogFormatter().format(whole)).getString("ts"))
        .isEqualTo("2026-01-01T10:00:00.000Z");
    assertThat(parse(new JsonLogFormatter().format(nanos)).getString("ts"))
        .isEqualTo("2026-01-01T10:00:00.123Z");
  }

  @Test
  void callerIsThePackageFileAndLineOfTheFrameThatLogged() {
    JsonObject o = parse(logThroughJul(Level.WARNING, "careful", null));

    assertThat(o.getString("caller")).matches("logging/JsonLogFormatterTest\\.java:\\d+");
    assertThat(o.getString("level")).isEqualTo("warn");
  }

  @Test
  void aRecordBuiltOffTheStackNamesItsClassFileAndOneWithoutSourceItsLogger() {
    LogRecord built = new LogRecord(Level.INFO, "x");
    built.setSourceClassName("io.fabric8.kubernetes.client.informers.impl.cache.Reflector$1");
    built.setSourceMethodName("run");
    LogRecord bare = new LogRecord(Level.INFO, "x");
    bare.setSourceClassName(null);
    bare.setLoggerName("io.helidon.webserver");

    assertThat(JsonLogFormatter.caller(built)).isEqualTo("cache/Reflector.java");
    assertThat(JsonLogFormatter.caller(bare)).isEqualTo("io.helidon.webserver");
  }

  @Test
  void anExceptionIsOneLineWithItsStackTraceAndCausesInTheStacktraceField() {
    var e = new IllegalStateException("sync failed", new java.io.IOException("connection reset"));

    String out = logThroughJul(Level.SEVERE, "tick of podinfo.test failed", e);

    assertThat(out.lines()).hasSize(1);
    JsonObject o = parse(out);
    assertThat(o.getString("level")).isEqualTo("error");
    assertThat(o.getString("msg")).isEqualTo("tick of podinfo.test failed");
    assertThat(o.getString("stacktrace"))
        .startsWith("java.lang.IllegalStateException: sync failed")
        .contains("\tat app.flagger.model.logging.JsonLogFormatterTest.")
        .contains("Caused by: java.io.IOException: connection reset");
  }

  @Test
  void zapLevelNames() {
    assertThat(JsonLogFormatter.level(Level.SEVERE)).isEqualTo("error");
    assertThat(JsonLogFormatter.level(Level.WARNING)).isEqualTo("warn");
    assertThat(JsonLogFormatter.level(Level.INFO)).isEqualTo("info");
    assertThat(JsonLogFormatter.level(Level.CONFIG)).isEqualTo("debug");
    assertThat(JsonLogFormatter.level(Level.FINEST)).isEqualTo("debug");
  }

  @Test
  void parametersAreFormattedExceptOnCanaryLinesWhoseTextKeepsItsBraces() {
    LogRecord lib = new LogRecord(Level.INFO, "bound {0}");
    lib.setParameters(new Object[] {"8080"});
    LogRecord task = new LogRecord(Level.INFO, "task starting hey -d '{\"a\": 1}' http://x/");
    task.setParameters(new Object[] {new JsonLogFormatter.CanaryField("podinfo.test")});

    assertThat(parse(new JsonLogFormatter().format(lib)).getString("msg")).isEqualTo("bound 8080");
    assertThat(parse(new JsonLogFormatter().format(task)).getString("msg"))
        .isEqualTo("task starting hey -d '{\"a\": 1}' http://x/");
  }

  @Test
  void aMultiLineOrMissingMessageStillMakesOneJsonLine() {
    LogRecord multi = new LogRecord(Level.INFO, "command output:\nline 1\nline 2");
    LogRecord none = new LogRecord(Level.INFO, null);

    String line = new JsonLogFormatter().format(multi);
    assertThat(line.lines()).hasSize(1);
    assertThat(parse(line).getString("msg")).isEqualTo("command output:\nline 1\nline 2");
    assertThat(parse(new JsonLogFormatter().format(none)).getString("msg")).isEmpty();
  }
}
