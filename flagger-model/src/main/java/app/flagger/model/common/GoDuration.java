package app.flagger.model.common;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written the way Go's {@code time.ParseDuration} reads them ({@code 30s}, {@code 1m},
 * {@code 1h30m}, {@code 500ms}, {@code 1.5s}), which is what Flagger's users put in intervals and
 * timeouts.
 */
public final class GoDuration {
  private GoDuration() {}

  private static final Pattern PART = Pattern.compile("([0-9]*\\.?[0-9]+)(ns|us|µs|ms|s|m|h)");

  /** Parses {@code text}, or returns empty when it is blank or not a duration. */
  public static Optional<Duration> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    String s = text.strip();
    if (s.equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    Matcher m = PART.matcher(s);
    int pos = 0;
    double nanos = 0;
    while (pos < s.length()) {
      if (!m.find(pos) || m.start() != pos) {
        return Optional.empty();
      }
      nanos += Double.parseDouble(m.group(1)) * unitNanos(m.group(2));
      pos = m.end();
    }
    return Optional.of(Duration.ofNanos(Math.round(nanos)));
  }

  /** True when {@code text} matches the CRD pattern {@code ^[0-9]+(m|s)}. */
  public static boolean matchesCrdPattern(String text) {
    return text != null && text.matches("^[0-9]+(m|s).*");
  }

  /** Formats a duration the way Go prints it ({@code 1m0s}, {@code 30s}, {@code 1.5s}). */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    long totalMillis = d.toMillis();
    if (totalMillis < 1000) {
      return totalMillis + "ms";
    }
    long h = d.toHours();
    long m = d.toMinutesPart();
    double sec = d.toSecondsPart() + d.toMillisPart() / 1000.0;
    StringBuilder b = new StringBuilder();
    if (h > 0) {
      b.append(h).append('h');
    }
    if (h > 0 || m > 0) {
      b.append(m).append('m');
    }
    if (sec == Math.rint(sec)) {
      b.append((long) sec).append('s');
    } else {
      b.append(sec).append('s');
    }
    return b.toString();
  }

  private static double unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1;
      case "us", "µs" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "m" -> 60e9;
      case "h" -> 3600e9;
      default -> throw new IllegalArgumentException(unit);
    };
  }
}
