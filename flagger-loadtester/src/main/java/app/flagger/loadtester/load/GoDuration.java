package app.flagger.loadtester.load;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations written the way Go's {@code time.ParseDuration} reads them: {@code 1m30s}. */
public final class GoDuration {
  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

  private GoDuration() {}

  /**
   * Parses {@code text} ({@code 500ms}, {@code 1m}, {@code 1h30m}, {@code 0}).
   *
   * @throws IllegalArgumentException naming the text when it is not a Go duration
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty duration");
    }
    String s = text.trim();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(s);
    int pos = 0;
    BigDecimal nanos = BigDecimal.ZERO;
    while (pos < s.length()) {
      if (!m.find(pos) || m.start() != pos) {
        throw new IllegalArgumentException(
            "invalid duration \"" + text + "\" (expected e.g. 30s, 1m, 1h30m, 500ms)");
      }
      nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit(m.group(2)))));
      pos = m.end();
    }
    if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("invalid duration \"" + text + "\": too long");
    }
    return Duration.ofNanos(nanos.longValue());
  }

  /**
   * Writes {@code d} in Go's units, dropping zero parts: {@code 1h}, {@code 1h30m}, {@code 45s}.
   */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (d.toHours() > 0) {
      sb.append(d.toHours()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      sb.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0 || d.toNanosPart() > 0) {
      sb.append(d.toSecondsPart());
      if (d.toNanosPart() > 0) {
        sb.append('.').append(String.format("%09d", d.toNanosPart()).replaceFirst("0+$", ""));
      }
      sb.append('s');
    }
    return sb.toString();
  }

  /** Parses a Go duration or a plain number of seconds ({@code wrk -d 30}). */
  public static Duration parseOrSeconds(String text) {
    if (text != null && text.trim().matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(text.trim()));
    }
    return parse(text);
  }

  private static long unit(String u) {
    return switch (u) {
      case "ns" -> 1L;
      case "us", "µs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> throw new IllegalArgumentException("unknown unit " + u);
    };
  }
}
