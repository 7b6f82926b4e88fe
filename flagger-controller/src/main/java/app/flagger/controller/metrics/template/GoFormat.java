package app.flagger.controller.metrics.template;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Go's {@code fmt} and {@code time.Duration} text forms, so messages match Flagger's byte for byte:
 * {@code %v} of a float ({@code 99}, {@code 99.5}, {@code 1e+06}), {@code %.2f} (correctly
 * rounded), durations ({@code 1.515s}, {@code 500ms}, {@code 1m30s}) and a {@code printf} subset.
 */
public final class GoFormat {
  private GoFormat() {}

  /** {@code fmt.Sprintf("%v", f)} for a float64. */
  public static String v(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    if (f == 0) {
      return (1 / f < 0) ? "-0" : "0";
    }
    BigDecimal d = new BigDecimal(Double.toString(f)).stripTrailingZeros();
    int exp = d.precision() - d.scale() - 1;
    if (exp < -4 || exp >= 6) {
      String digits = d.unscaledValue().abs().toString();
      String mantissa =
          digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      String sign = f < 0 ? "-" : "";
      String e = String.format("%02d", Math.abs(exp));
      return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + e;
    }
    return d.toPlainString();
  }

  /** {@code fmt.Sprintf("%.2f", f)}: the exact binary value, rounded half to even. */
  public static String fixed(double f, int decimals) {
    if (Double.isNaN(f) || Double.isInfinite(f)) {
      return v(f);
    }
    return new BigDecimal(f).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
  }

  /** Go's {@code time.Duration.String()} of a number of nanoseconds. */
  public static String duration(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    boolean negative = nanos < 0;
    long u = Math.abs(nanos);
    StringBuilder out = new StringBuilder();
    if (u < 1_000_000_000L) {
      if (u < 1_000L) {
        out.append(u).append("ns");
      } else if (u < 1_000_000L) {
        out.append(fraction(u, 3)).append("µs");
      } else {
        out.append(fraction(u, 6)).append("ms");
      }
    } else {
      long seconds = u / 1_000_000_000L;
      String secs = fraction(u % 60_000_000_000L, 9);
      long minutes = seconds / 60;
      long hours = minutes / 60;
      if (hours > 0) {
        out.append(hours).append('h');
      }
      if (minutes > 0) {
        out.append(minutes % 60).append('m');
      }
      out.append(secs).append('s');
    }
    return negative ? "-" + out : out.toString();
  }

  /** {@code value / 10^digits} without trailing zeros. */
  private static String fraction(long value, int digits) {
    return BigDecimal.valueOf(value, digits).stripTrailingZeros().toPlainString();
  }

  /** Go's default text of a template value. */
  public static String print(Object value) {
    if (value == null) {
      return "<no value>";
    }
    if (value instanceof Double d) {
      return v(d);
    }
    if (value instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder("map[");
      new TreeMap<>(m)
          .forEach(
              (k, val) ->
                  b.append(b.length() > 4 ? " " : "").append(k).append(':').append(print(val)));
      return b.append(']').toString();
    }
    return value.toString();
  }

  /** A {@code fmt.Sprintf} subset: verbs {@code %s %v %d %q %f %g %x %%} with width/precision. */
  public static String sprintf(String format, List<Object> args) {
    StringBuilder out = new StringBuilder();
    int next = 0;
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      int start = i++;
      while (i < format.length() && "+-# 0123456789.".indexOf(format.charAt(i)) >= 0) {
        i++;
      }
      if (i >= format.length()) {
        out.append("%!(NOVERB)");
        break;
      }
      char verb = format.charAt(i);
      if (verb == '%') {
        out.append('%');
        continue;
      }
      String flags = format.substring(start + 1, i);
      if (next >= args.size()) {
        out.append("%!").append(verb).append("(MISSING)");
        continue;
      }
      out.append(verb(verb, flags, args.get(next++)));
    }
    if (next < args.size()) {
      out.append("%!(EXTRA ");
      for (int j = next; j < args.size(); j++) {
        out.append(j > next ? ", " : "")
            .append(typeName(args.get(j)))
            .append('=')
            .append(print(args.get(j)));
      }
      out.append(')');
    }
    return out.toString();
  }

  private static String verb(char verb, String flags, Object arg) {
    boolean number = arg instanceof Long || arg instanceof Double;
    return switch (verb) {
      case 's', 'v' -> String.format("%" + flags + "s", print(arg));
      case 'q' -> "\"" + print(arg).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
      case 'd', 'x' ->
          arg instanceof Long l ? String.format("%" + flags + verb, l) : bad(verb, arg);
      case 'f', 'g', 'e' ->
          number
              ? String.format(
                  java.util.Locale.ROOT, "%" + flags + verb, ((Number) arg).doubleValue())
              : bad(verb, arg);
      default -> bad(verb, arg);
    };
  }

  private static String bad(char verb, Object arg) {
    return "%!" + verb + "(" + typeName(arg) + "=" + print(arg) + ")";
  }

  private static String typeName(Object arg) {
    if (arg instanceof Long) {
      return "int";
    }
    if (arg instanceof Double) {
      return "float64";
    }
    if (arg instanceof Boolean) {
      return "bool";
    }
    if (arg instanceof Map) {
      return "map[string]string";
    }
    return arg == null ? "<nil>" : "string";
  }
}
