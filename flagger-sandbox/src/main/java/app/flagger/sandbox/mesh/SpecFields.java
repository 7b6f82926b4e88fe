package app.flagger.sandbox.mesh;

import java.util.List;
import java.util.Map;

/** Reading the untyped spec of a custom object, with errors naming the field. */
final class SpecFields {
  private SpecFields() {}

  static Map<?, ?> map(Object o, String field) {
    if (o instanceof Map<?, ?> m) {
      return m;
    }
    throw new IllegalArgumentException(field + " must be an object, got " + o);
  }

  /** The list, empty when absent. */
  static List<?> list(Object o, String field) {
    if (o == null) {
      return List.of();
    }
    if (o instanceof List<?> l) {
      return l;
    }
    throw new IllegalArgumentException(field + " must be a list, got " + o);
  }

  /** The list's items as strings, empty when absent or not a list. */
  static List<String> strings(Object o) {
    return o instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
  }
}
