package app.flagger.model.support;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Compares JSON trees as values: numbers by value (99 equals 99.0), objects by key. */
public final class Trees {
  private Trees() {}

  /** The paths where {@code a} and {@code b} differ; empty when they are the same. */
  public static List<String> differences(JsonNode a, JsonNode b) {
    List<String> out = new ArrayList<>();
    diff(a, b, "", out);
    return out;
  }

  private static void diff(JsonNode a, JsonNode b, String path, List<String> out) {
    if (a == null || b == null || a.isMissingNode() || b.isMissingNode()) {
      if (!(isAbsent(a) && isAbsent(b))) {
        out.add(path + ": " + a + " vs " + b);
      }
      return;
    }
    if (a.isNumber() && b.isNumber()) {
      if (a.decimalValue().compareTo(b.decimalValue()) != 0) {
        out.add(path + ": " + a + " vs " + b);
      }
    } else if (a.isObject() && b.isObject()) {
      java.util.Set<String> keys = new java.util.TreeSet<>(a.propertyNames());
      keys.addAll(b.propertyNames());
      for (String k : keys) {
        diff(a.get(k), b.get(k), path + "." + k, out);
      }
    } else if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        out.add(path + ": " + a.size() + " items vs " + b.size());
        return;
      }
      for (int i = 0; i < a.size(); i++) {
        diff(a.get(i), b.get(i), path + "[" + i + "]", out);
      }
    } else if (!a.equals(b)) {
      out.add(path + ": " + a + " vs " + b);
    }
  }

  private static boolean isAbsent(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull();
  }
}
