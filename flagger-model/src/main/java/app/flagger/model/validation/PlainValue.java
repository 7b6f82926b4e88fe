package app.flagger.model.validation;

import java.util.Optional;

/**
 * The rule for every value a Canary puts into a metric query ({@code templateVariables}, the
 * target, service, ingress and route names, the metric interval): ASCII letters, digits and {@code
 * . _ - / :} only. That admits Kubernetes names, label values, numbers ({@code 0.99}), durations
 * ({@code 5m}), paths ({@code /api/v1}) and {@code key:value} tags ({@code env:prod}), and leaves
 * no way to end a quoted string or start a new expression: no quotes, backslash, whitespace,
 * brackets, braces, commas, {@code |}, {@code *}, {@code #}, {@code =} or {@code ~}. The validator
 * refuses a Canary with any other value, and the query renderer refuses it again.
 */
public final class PlainValue {
  /** What a plain value may hold, as the messages say it. */
  public static final String EXPECTED = "expected letters, digits and . _ - / : only";

  private static final int SHOWN = 80;

  private PlainValue() {}

  /** True when {@code value} is null or plain. */
  public static boolean isPlain(String value) {
    if (value == null) {
      return true;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-'
              || c == '/'
              || c == ':';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Why {@code value} is not plain ({@code 'a b' is not a plain label value: ...}), if it is not.
   */
  public static Optional<String> problem(String value) {
    if (isPlain(value)) {
      return Optional.empty();
    }
    return Optional.of(shown(value) + " is not a plain label value: " + EXPECTED);
  }

  /** The value in single quotes, control characters escaped, cut after 80 characters. */
  static String shown(String value) {
    StringBuilder b = new StringBuilder("'");
    int end = Math.min(value.length(), SHOWN);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    if (value.length() > SHOWN) {
      b.append("...' (").append(value.length()).append(" characters)");
    } else {
      b.append('\'');
    }
    return b.toString();
  }
}
