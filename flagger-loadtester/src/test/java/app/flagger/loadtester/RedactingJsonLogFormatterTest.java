package app.flagger.loadtester;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** The load tester's log lines mask credentials, whichever logger wrote them. */
class RedactingJsonLogFormatterTest {
  private static JsonObject parse(String line) {
    try (var r = Json.createReader(new StringReader(line))) {
      return r.readObject();
    }
  }

  @Test
  void masksCredentialsInMessagesAndStackTracesOfAnyLogger() {
    LogRecord r = new LogRecord(Level.WARNING, "calling {0}");
    r.setLoggerName("io.helidon.webclient");
    r.setParameters(new Object[] {"http://user:s3cr3tValue@x/?token=s3cr3tValue"});
    r.setThrown(new IllegalStateException("Authorization: Bearer s3cr3tValue"));
    JsonObject o = parse(new RedactingJsonLogFormatter().format(r));
    assertThat(o.getString("msg")).isEqualTo("calling http://***@x/?token=***");
    assertThat(o.getString("stacktrace"))
        .doesNotContain("s3cr3tValue")
        .contains("Authorization: ***");
  }

  /** The load tester's own messages name configuration keys; those are not masked. */
  @Test
  void configurationKeysInMessagesAreNotMistakenForSecrets() {
    String msg =
        "loadtester.auth.token-file: cannot read /etc/flagger-loadtester-auth/token"
            + " (NoSuchFileException): create the token Secret or set loadtester.auth.disabled"
            + " to true";
    JsonObject o = parse(new RedactingJsonLogFormatter().format(new LogRecord(Level.SEVERE, msg)));
    assertThat(o.getString("msg")).isEqualTo(msg);
  }
}
