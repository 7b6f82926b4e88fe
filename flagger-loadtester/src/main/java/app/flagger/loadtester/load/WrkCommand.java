package app.flagger.loadtester.load;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code wrk} command line ({@code -c -d -t -H --latency --timeout}, plus wrk2's {@code
 * -R}) into a {@link LoadSpec}. Lua scripts ({@code -s}) are not supported.
 */
public final class WrkCommand {
  private static final Pattern HEADER = Pattern.compile("^([\\w-]+):\\s*(.*)$");

  private WrkCommand() {}

  /**
   * Parses the arguments after {@code wrk}.
   *
   * @throws IllegalArgumentException naming the option that is wrong
   */
  public static LoadSpec parse(List<String> args) {
    int connections = 10;
    int threads = 2;
    Duration duration = Duration.ofSeconds(10);
    Duration timeout = Duration.ofSeconds(2);
    double rate = 0;
    Map<String, String> headers = new LinkedHashMap<>();
    String url = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("-")) {
        if (url != null) {
          throw new IllegalArgumentException("wrk: more than one URL: " + url + ", " + a);
        }
        url = a;
        continue;
      }
      String name = optionName(a);
      if (name.equals("latency")
          || name.equals("L")
          || name.equals("U")
          || name.equals("u_latency")) {
        continue;
      }
      String value = inlineValue(a, name);
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException("wrk: option " + a + " needs a value");
        }
        value = args.get(++i);
      }
      switch (name) {
        case "c", "connections" -> connections = positive(name, value);
        case "t", "threads" -> threads = positive(name, value);
        case "d", "duration" -> duration = seconds(name, value);
        case "timeout", "T" -> timeout = seconds(name, value);
        case "R", "rate" -> rate = positive(name, value);
        case "H", "header" -> {
          Matcher m = HEADER.matcher(value);
          if (!m.matches()) {
            throw new IllegalArgumentException("wrk: invalid header \"" + value + "\"");
          }
          headers.put(m.group(1), m.group(2));
        }
        case "s", "script" ->
            throw new IllegalArgumentException(
                "wrk: -s (Lua scripts) is not supported by the built-in generator");
        default -> throw new IllegalArgumentException("wrk: unknown option " + a);
      }
    }
    if (url == null) {
      throw new IllegalArgumentException("wrk: missing the URL (usage: wrk <options> <url>)");
    }
    if (connections < threads) {
      throw new IllegalArgumentException("wrk: number of connections must be >= threads");
    }
    return new LoadSpec(
        HeyCommand.uri(url),
        "GET",
        headers,
        null,
        duration,
        0,
        connections,
        rate,
        timeout,
        false,
        true);
  }

  private static String optionName(String arg) {
    if (arg.startsWith("--")) {
      String n = arg.substring(2);
      int eq = n.indexOf('=');
      return eq >= 0 ? n.substring(0, eq) : n;
    }
    return arg.length() > 1 ? arg.substring(1, 2) : "";
  }

  private static String inlineValue(String arg, String name) {
    if (arg.startsWith("--")) {
      int eq = arg.indexOf('=');
      return eq >= 0 ? arg.substring(eq + 1) : null;
    }
    return arg.length() > 2 ? arg.substring(2) : null;
  }

  private static int positive(String name, String value) {
    try {
      int v = Integer.parseInt(value.trim().replaceAll("[kK]$", "000"));
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("wrk: invalid value \"" + value + "\" for -" + name);
  }

  private static Duration seconds(String name, String value) {
    try {
      return GoDuration.parseOrSeconds(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "wrk: invalid time \"" + value + "\" for -" + name + ": " + e.getMessage(), e);
    }
  }
}
