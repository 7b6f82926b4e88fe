package app.flagger.controller.observe;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;

/**
 * Pieces of Prometheus' text format 0.0.4 written exactly as Micrometer's Prometheus registry
 * writes them, so the families this controller renders itself read the same as the ones it used to
 * serve through Micrometer: label names sorted, Helidon's {@code scope} label, a comma after the
 * last label, values as {@link Double#toString} with {@code +Inf}, {@code -Inf} and {@code NaN}.
 */
final class TextLines {
  /** The label Helidon adds to every meter it registers; kept so queries see the same series. */
  static final String SCOPE = "scope";

  static final String SCOPE_APPLICATION = "application";

  private TextLines() {}

  /** {@code # HELP} and {@code # TYPE} of a family. */
  static byte[] header(String name, String type, String help) {
    return ("# HELP " + name + " " + escapeHelp(help) + "\n# TYPE " + name + " " + type + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** {@code k1="v1",k2="v2",}: the labels in their map's order, each followed by a comma. */
  static String labels(SortedMap<String, String> labels) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : labels.entrySet()) {
      b.append(e.getKey()).append("=\"");
      escapeLabelValue(b, e.getValue());
      b.append("\",");
    }
    return b.toString();
  }

  /** Appends {@code value} as the text format writes a sample value. */
  static StringBuilder value(StringBuilder b, double value) {
    if (value == Double.POSITIVE_INFINITY) {
      return b.append("+Inf");
    }
    if (value == Double.NEGATIVE_INFINITY) {
      return b.append("-Inf");
    }
    return b.append(value);
  }

  /** One sample line, {@code name{labels} value\n}, as UTF-8. */
  static byte[] line(String name, String labels, double value) {
    StringBuilder b = new StringBuilder(name.length() + labels.length() + 32);
    b.append(name).append('{').append(labels).append("} ");
    return value(b, value).append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void escapeLabelValue(StringBuilder b, String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        default -> b.append(c);
      }
    }
  }

  private static String escapeHelp(String help) {
    return help.replace("\\", "\\\\").replace("\n", "\\n");
  }
}
