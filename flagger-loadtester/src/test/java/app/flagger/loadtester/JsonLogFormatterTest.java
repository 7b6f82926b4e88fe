package app.flagger.loadtester;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.loadtester.task.TaskLog;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {
  private static JsonObject parse(String line) {
    try (var r = Json.createReader(new StringReader(line))) {
      return r.readObject();
    }
  }

  @Test
  void writesTheCanaryAsAFieldAndKeepsBracesInCommands() {
    LogRecord r = new LogRecord(Level.INFO, "task starting hey -d '{\"a\": 1}' http://x/");
    r.setLoggerName("app.flagger.loadtester");
    r.setParameters(new Object[] {new TaskLog.Canary("podinfo.test")});
    String line = new JsonLogFormatter().format(r);
    assertThat(line).endsWith(System.lineSeparator()).doesNotContain("\n{");
    JsonObject o = parse(line);
    assertThat(o.getString("canary")).isEqualTo("podinfo.test");
    assertThat(o.getString("msg")).isEqualTo("task starting hey -d '{\"a\": 1}' http://x/");
    assertThat(o.getString("level")).isEqualTo("info");
  }

  @Test
  void formatsOtherLoggersMessagesAndErrors() {
    LogRecord r = new LogRecord(Level.WARNING, "bound {0}");
    r.setParameters(new Object[] {"8080"});
    r.setThrown(new IllegalStateException("boom"));
    JsonObject o = parse(new JsonLogFormatter().format(r));
    assertThat(o.getString("msg")).isEqualTo("bound 8080");
    assertThat(o.containsKey("canary")).isFalse();
    assertThat(o.getString("error")).contains("IllegalStateException: boom");
  }

  @Test
  void masksCredentialsInMessagesAndErrorsOfAnyLogger() {
    LogRecord r = new LogRecord(Level.WARNING, "calling {0}");
    r.setLoggerName("io.helidon.webclient");
    r.setParameters(new Object[] {"http://user:s3cr3tValue@x/?token=s3cr3tValue"});
    r.setThrown(new IllegalStateException("Authorization: Bearer s3cr3tValue"));
    JsonObject o = parse(new JsonLogFormatter().format(r));
    assertThat(o.getString("msg")).isEqualTo("calling http://***@x/?token=***");
    assertThat(o.getString("error")).doesNotContain("s3cr3tValue").contains("Authorization: ***");
  }
}
