package app.flagger.controller.events;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import java.io.StringReader;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {
  @Test
  void writesFlaggersZapKeysWithTheCanaryField() {
    LogRecord r = new LogRecord(Level.INFO, "Advance podinfo.test canary weight 10");
    r.setInstant(Instant.parse("2026-01-01T10:00:00Z"));
    r.setSourceClassName("app.flagger.controller.scheduler.CanaryAdvancer");
    r.setSourceMethodName("advance");
    r.setParameters(new Object[] {new JsonLogFormatter.CanaryField("podinfo.test")});
    var line = new JsonLogFormatter().format(r);
    assertThat(line).endsWith(System.lineSeparator());
    var o = Json.createReader(new StringReader(line)).readObject();
    assertThat(o.getString("level")).isEqualTo("info");
    assertThat(o.getString("ts")).isEqualTo("2026-01-01T10:00:00Z");
    assertThat(o.getString("caller")).isEqualTo("CanaryAdvancer.advance");
    assertThat(o.getString("msg")).isEqualTo("Advance podinfo.test canary weight 10");
    assertThat(o.getString("canary")).isEqualTo("podinfo.test");
  }

  @Test
  void severeIsError() {
    assertThat(JsonLogFormatter.level(Level.SEVERE)).isEqualTo("error");
    assertThat(JsonLogFormatter.level(Level.WARNING)).isEqualTo("warn");
    assertThat(JsonLogFormatter.level(Level.FINE)).isEqualTo("debug");
  }
}
