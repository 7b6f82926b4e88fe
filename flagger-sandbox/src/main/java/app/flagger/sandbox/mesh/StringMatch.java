package app.flagger.sandbox.mesh;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Istio's StringMatch: exactly one of {@code exact}, {@code prefix} or {@code regex} (RE2 there,
 * Java regex here, matched against the whole value).
 *
 * @param exact the exact value, or null
 * @param prefix the prefix, or null
 * @param regex the pattern, or null
 */
public record StringMatch(String exact, String prefix, Pattern regex) {

  static StringMatch of(Object raw, String field) {
    if (!(raw instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(
          field + " must be an object with exact, prefix or regex, got " + raw);
    }
    Object exact = m.get("exact");
    Object prefix = m.get("prefix");
    Object regex = m.get("regex");
    if (exact == null && prefix == null && regex == null) {
      throw new IllegalArgumentException(field + " needs exact, prefix or regex, got " + m);
    }
    return new StringMatch(
        exact == null ? null : exact.toString(),
        prefix == null ? null : prefix.toString(),
        regex == null ? null : Pattern.compile(regex.toString()));
  }

  public boolean matches(String value) {
    if (value == null) {
      return false;
    }
    if (exact != null) {
      return exact.equals(value);
    }
    if (prefix != null) {
      return value.startsWith(prefix);
    }
    return regex.matcher(value).matches();
  }
}
