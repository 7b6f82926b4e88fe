package app.flagger.grafana.provision;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Map;

/**
 * Writes a JSON tree as block-style YAML, quoting every string as a JSON string (which YAML reads
 * as a double-quoted scalar), for Grafana's provisioning files.
 */
final class YamlWriter {
  private YamlWriter() {}

  static String write(String header, JsonObject root) {
    StringBuilder out = new StringBuilder();
    header.lines().forEach(l -> out.append("# ").append(l).append('\n'));
    object(out, root, 0);
    return out.toString();
  }

  private static void object(StringBuilder out, JsonObject obj, int indent) {
    for (Map.Entry<String, JsonValue> e : obj.entrySet()) {
      out.append(" ".repeat(indent)).append(e.getKey()).append(':');
      value(out, e.getValue(), indent);
    }
  }

  private static void value(StringBuilder out, JsonValue v, int indent) {
    switch (v.getValueType()) {
      case OBJECT -> {
        out.append('\n');
        object(out, v.asJsonObject(), indent + 2);
      }
      case ARRAY -> {
        out.append('\n');
        array(out, v.asJsonArray(), indent + 2);
      }
      default -> out.append(' ').append(scalar(v)).append('\n');
    }
  }

  private static void array(StringBuilder out, JsonArray array, int indent) {
    for (JsonValue item : array) {
      out.append(" ".repeat(indent)).append("- ");
      if (item.getValueType() == JsonValue.ValueType.OBJECT) {
        boolean first = true;
        for (Map.Entry<String, JsonValue> e : item.asJsonObject().entrySet()) {
          if (!first) {
            out.append(" ".repeat(indent + 2));
          }
          first = false;
          out.append(e.getKey()).append(':');
          value(out, e.getValue(), indent + 2);
        }
      } else {
        out.append(scalar(item)).append('\n');
      }
    }
  }

  private static String scalar(JsonValue v) {
    return v instanceof JsonString s ? jsonQuoted(s) : v.toString();
  }

  private static String jsonQuoted(JsonString s) {
    return s.toString();
  }
}
