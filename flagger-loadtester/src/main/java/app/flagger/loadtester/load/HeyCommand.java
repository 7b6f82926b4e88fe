package app.flagger.loadtester.load;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code hey} command line (hey 0.1.4 flags, Go flag syntax) into a {@link LoadSpec}.
 * {@code -q} is hey's per-worker rate, so the total rate is {@code q × c}; unlike hey, the run is
 * then paced as an open model and its latency corrected for coordinated omission. As hey does, TLS
 * certificates are not verified.
 */
public final class HeyCommand {
  private static final Set<String> BOOLEAN_FLAGS =
      Set.of("h2", "disable-compression", "disable-keepalive", "disable-redirects");
  private static final Set<String> VALUE_FLAGS =
      Set.of("n", "c", "q", "z", "o", "m", "H", "t", "A", "d", "D", "T", "a", "x", "host", "cpus");
  private static final Pattern HEADER = Pattern.compile("^([\\w-]+):\\s*(.+)$");

  private HeyCommand() {}

  /**
   * Parses the arguments after {@code hey}.
   *
   * @param bodyFile reads the file named by {@code -D}; throws {@link IllegalArgumentException}
   *     when reading local files is not allowed
   * @throws IllegalArgumentException naming the flag that is wrong
   */
  public static LoadSpec parse(List<String> args, Function<String, byte[]> bodyFile) {
    Map<String, Object> flags = new LinkedHashMap<>();
    List<String> headers = new java.util.ArrayList<>();
    int i = 0;
    for (; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("-") || a.equals("-")) {
        break;
      }
      String name = a.replaceFirst("^--?", "");
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (BOOLEAN_FLAGS.contains(name)) {
        flags.put(name, value == null || Boolean.parseBoolean(value));
        continue;
      }
      if (!VALUE_FLAGS.contains(name)) {
        throw new IllegalArgumentException("hey: flag provided but not defined: -" + name);
      }
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException("hey: flag needs an argument: -" + name);
        }
        value = args.get(++i);
      }
      if (name.equals("H")) {
        headers.add(value);
      } else {
        flags.put(name, value);
      }
    }
    if (i != args.size() - 1) {
      throw new IllegalArgumentException(
          i >= args.size()
              ? "hey: missing the URL (usage: hey [options...] <url>)"
              : "hey: expected exactly one URL after the options, got "
                  + args.subList(i, args.size()));
    }
    return toSpec(flags, headers, args.get(i), bodyFile);
  }

  private static LoadSpec toSpec(
      Map<String, Object> f,
      List<String> rawHeaders,
      String url,
      Function<String, byte[]> bodyFile) {
    int c = intFlag(f, "c", 50);
    long n = intFlag(f, "n", 200);
    double q = doubleFlag(f, "q", 0);
    Duration z = f.containsKey("z") ? duration("z", (String) f.get("z")) : Duration.ZERO;
    if (c <= 0 || (z.isZero() && n <= 0)) {
      throw new IllegalArgumentException("hey: -n and -c cannot be smaller than 1");
    }
    if (z.isZero() && n < c) {
      throw new IllegalArgumentException("hey: -n cannot be less than -c");
    }
    if (f.containsKey("x")) {
      throw new IllegalArgumentException(
          "hey: -x (proxy) is not supported by the built-in generator");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h : rawHeaders) {
      Matcher m = HEADER.matcher(h);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "hey: -H: could not parse the provided input; input = " + h);
      }
      headers.put(m.group(1), m.group(2));
    }
    byte[] body = body(f, bodyFile);
    if (f.containsKey("T") || body.length > 0) {
      headers.putIfAbsent("Content-Type", (String) f.getOrDefault("T", "text/html"));
    }
    if (f.containsKey("A")) {
      headers.putIfAbsent("Accept", (String) f.get("A"));
    }
    if (f.containsKey("a")) {
      String auth = (String) f.get("a");
      if (!auth.contains(":")) {
        throw new IllegalArgumentException("hey: -a: auth must be in the form user:pass");
      }
      headers.put(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
    }
    if (f.containsKey("host")) {
      headers.put("Host", (String) f.get("host"));
    }
    int timeoutSeconds = intFlag(f, "t", 20);
    return new LoadSpec(
        uri(url),
        (String) f.getOrDefault("m", "GET"),
        headers,
        body,
        z,
        z.isZero() ? n : 0,
        c,
        q * c,
        Duration.ofSeconds(Math.max(0, timeoutSeconds)),
        Boolean.TRUE.equals(f.get("h2")),
        !Boolean.TRUE.equals(f.get("disable-keepalive")),
        true,
        null);
  }

  private static byte[] body(Map<String, Object> f, Function<String, byte[]> bodyFile) {
    if (f.containsKey("d")) {
      return ((String) f.get("d")).getBytes(StandardCharsets.UTF_8);
    }
    if (f.containsKey("D")) {
      return bodyFile.apply((String) f.get("D"));
    }
    return new byte[0];
  }

  static URI uri(String url) {
    try {
      URI u = new URI(url);
      if (u.getScheme() == null || u.getHost() == null) {
        throw new IllegalArgumentException(
            "invalid URL \"" + url + "\": expected http(s)://host[:port]/path");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("invalid URL \"" + url + "\": " + e.getReason(), e);
    }
  }

  static Duration duration(String flag, String value) {
    try {
      return GoDuration.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "hey: invalid value \"" + value + "\" for flag -" + flag + ": " + e.getMessage(), e);
    }
  }

  private static int intFlag(Map<String, Object> f, String name, int def) {
    Object v = f.get(name);
    if (v == null) {
      return def;
    }
    try {
      return Integer.parseInt((String) v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "hey: invalid value \"" + v + "\" for flag -" + name + ": parse error", e);
    }
  }

  private static double doubleFlag(Map<String, Object> f, String name, double def) {
    Object v = f.get(name);
    if (v == null) {
      return def;
    }
    try {
      double d = Double.parseDouble((String) v);
      if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "hey: invalid value \"" + v + "\" for flag -" + name + ": parse error", e);
    }
  }
}
