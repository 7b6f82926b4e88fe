package app.flagger.loadtester.curl;

import app.flagger.model.json.Jsons;
import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code jq [-e] [-r] [-j] [-c] [-S] [-n] [-M] FILTER} on standard input with the {@link JqFilter}
 * subset. Output and exit status as jq's: 0, or with {@code -e} 1 when the last output is false or
 * null and 4 when there was none; 2 for input that is not JSON, 5 for a runtime error.
 */
final class Jq implements Filter {
  /** The options the built-in jq has, for messages and docs. */
  static final String SUPPORTED = "-e -r -j -c -S -n -M";

  private final JqFilter filter;
  private final boolean exitStatus;
  private final boolean raw;
  private final boolean join;
  private final boolean compact;
  private final boolean sortKeys;
  private final boolean nullInput;

  private Jq(JqFilter filter, boolean[] flags) {
    this.filter = filter;
    this.exitStatus = flags[0];
    this.raw = flags[1] || flags[2];
    this.join = flags[2];
    this.compact = flags[3];
    this.sortKeys = flags[4];
    this.nullInput = flags[5];
  }

  /**
   * @param args the words after {@code jq}
   * @throws UnsupportedCommand for options, filters and file arguments outside the subset
   */
  static Jq parse(List<String> args) {
    boolean[] flags = new boolean[6];
    List<String> operands = new ArrayList<>();
    for (String a : args) {
      if (a.startsWith("--")) {
        flag(a, flags);
      } else if (a.startsWith("-") && a.length() > 1 && operands.isEmpty()) {
        for (char c : a.substring(1).toCharArray()) {
          flag(String.valueOf(c), flags);
        }
      } else {
        operands.add(a);
      }
    }
    if (operands.size() > 1) {
      throw new UnsupportedCommand(
          "jq with file arguments ("
              + String.join(" ", operands.subList(1, operands.size()))
              + "); the built-in jq reads only the output of the command before it");
    }
    return new Jq(JqFilter.parse(operands.isEmpty() ? "." : operands.getFirst()), flags);
  }

  private static void flag(String f, boolean[] flags) {
    switch (f) {
      case "e", "--exit-status" -> flags[0] = true;
      case "r", "--raw-output" -> flags[1] = true;
      case "j", "--join-output" -> flags[2] = true;
      case "c", "--compact-output" -> flags[3] = true;
      case "S", "--sort-keys" -> flags[4] = true;
      case "n", "--null-input" -> flags[5] = true;
      case "M", "--monochrome-output" -> {
        // output is never a terminal: never coloured
      }
      default ->
          throw new UnsupportedCommand(
              "jq option "
                  + (f.startsWith("--") ? f : "-" + f)
                  + " is not supported (supported: "
                  + SUPPORTED
                  + ")");
    }
  }

  @Override
  public Result apply(byte[] stdin) {
    String text = new String(stdin, StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonValue last = null;
    String rest = nullInput ? "null" : text;
    while (!rest.isBlank()) {
      JsonValue in;
      // one parser per value: Parsson reads a single JSON text and refuses what follows it
      try (JsonParser p = Jsons.createParser(new StringReader(rest))) {
        p.next();
        in = p.getValue();
        rest = rest.substring((int) p.getLocation().getStreamOffset());
      } catch (JsonException | IllegalStateException e) {
        return new Result(
            2, out.toByteArray(), error(text, "Cannot parse input: " + e.getMessage()));
      }
      try {
        for (JsonValue v : filter.apply(in)) {
          write(out, v);
          last = v;
        }
      } catch (JqFilter.JqError e) {
        return new Result(5, out.toByteArray(), error(text, e.getMessage()));
      }
    }
    int exit = 0;
    if (exitStatus) {
      exit = last == null ? 4 : JqJson.truthy(last) ? 0 : 1;
    }
    return new Result(exit, out.toByteArray(), "");
  }

  private static String error(String input, String message) {
    long line = input.chars().filter(c -> c == '\n').count();
    return "jq: error (at <stdin>:" + line + "): " + message + "\n";
  }

  private void write(ByteArrayOutputStream out, JsonValue v) {
    String s =
        raw && v.getValueType() == JsonValue.ValueType.STRING
            ? ((jakarta.json.JsonString) v).getString()
            : JqJson.format(v, compact ? -1 : 2, sortKeys);
    out.writeBytes((join ? s : s + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
