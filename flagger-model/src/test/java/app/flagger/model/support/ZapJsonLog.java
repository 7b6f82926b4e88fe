package app.flagger.model.support;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Checks a process's output against Flagger's (zap's) JSON log format, line by line. */
public final class ZapJsonLog {
  static final Set<String> LEVELS = Set.of("debug", "info", "warn", "error");
  static final String TS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

  private ZapJsonLog() {}

  /**
   * Parses every line (none may be blank, plain text or a fragment) and checks zap's keys: {@code
   * level} among zap's names, {@code ts} ISO-8601 UTC with milliseconds, {@code caller} and {@code
   * msg} strings.
   */
  public static List<JsonObject> everyLine(List<String> log) {
    assertThat(log).as("the process's output").isNotEmpty();
    List<JsonObject> lines = new ArrayList<>();
    for (int i = 0; i < log.size(); i++) {
      String line = log.get(i);
      JsonObject o;
      try (JsonReader r = Json.createReader(new StringReader(line))) {
        o = r.readObject();
      } catch (JsonParsingException | IllegalStateException e) {
        throw new AssertionError("line " + (i + 1) + " is not a JSON object: " + line, e);
      }
      String where = "line " + (i + 1) + ": " + line;
      assertThat(o.get("level"))
          .as(where)
          .isInstanceOfSatisfying(JsonString.class, l -> assertThat(l.getString()).isIn(LEVELS));
      assertThat(o.getString("ts", "")).as(where).matches(TS);
      assertThat(o.get("caller")).as(where).isInstanceOf(JsonString.class);
      assertThat(o.get("msg")).as(where).isInstanceOf(JsonString.class);
      lines.add(o);
    }
    return lines;
  }

  /** The first line whose {@code msg} starts with {@code prefix}. */
  public static JsonObject first(List<JsonObject> lines, String prefix) {
    return lines.stream()
        .filter(o -> o.getString("msg").startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line whose msg starts with " + prefix));
  }

  /**
   * Each line's {@code msg}, cut to the one of {@code prefixes} it starts with (others dropped).
   */
  public static List<String> messages(List<JsonObject> lines, List<String> prefixes) {
    return lines.stream()
        .map(o -> o.getString("msg"))
        .flatMap(m -> prefixes.stream().filter(m::startsWith))
        .toList();
  }

  /** Whether {@code log} has a line whose {@code msg} starts with {@code prefix} (raw text). */
  public static boolean contains(List<String> log, String prefix) {
    return log.stream().anyMatch(l -> l.contains("\"msg\":\"" + prefix));
  }
}
