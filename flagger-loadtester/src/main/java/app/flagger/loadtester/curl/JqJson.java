package app.flagger.loadtester.curl;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** jq's view of JSON values: type names, truth, ordering and its output format. */
final class JqJson {
  private JqJson() {}

  static String type(JsonValue v) {
    return switch (v.getValueType()) {
      case NULL -> "null";
      case TRUE, FALSE -> "boolean";
      case NUMBER -> "number";
      case STRING -> "string";
      case ARRAY -> "array";
      case OBJECT -> "object";
    };
  }

  /** false and null are false, everything else is true. */
  static boolean truthy(JsonValue v) {
    return v.getValueType() != JsonValue.ValueType.NULL
        && v.getValueType() != JsonValue.ValueType.FALSE;
  }

  /** jq's total order: null, false, true, numbers, strings, arrays, objects. */
  static int compare(JsonValue a, JsonValue b) {
    int ra = rank(a);
    int rb = rank(b);
    if (ra != rb) {
      return Integer.compare(ra, rb);
    }
    return switch (a) {
      case JsonNumber n -> n.bigDecimalValue().compareTo(((JsonNumber) b).bigDecimalValue());
      case JsonString s -> compareStrings(s.getString(), ((JsonString) b).getString());
      case JsonArray x -> compareArrays(x, (JsonArray) b);
      case JsonObject o -> compareObjects(o, (JsonObject) b);
      default -> 0;
    };
  }

  private static int rank(JsonValue v) {
    return switch (v.getValueType()) {
      case NULL -> 0;
      case FALSE -> 1;
      case TRUE -> 2;
      case NUMBER -> 3;
      case STRING -> 4;
      case ARRAY -> 5;
      case OBJECT -> 6;
    };
  }

  /** By code point, as jq compares strings. */
  static int compareStrings(String a, String b) {
    return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
  }

  private static int compareArrays(JsonArray a, JsonArray b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = compare(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  /** Sorted key lists first, then the values key by key. */
  private static int compareObjects(JsonObject a, JsonObject b) {
    List<String> ka = a.keySet().stream().sorted(JqJson::compareStrings).toList();
    List<String> kb = b.keySet().stream().sorted(JqJson::compareStrings).toList();
    for (int i = 0; i < Math.min(ka.size(), kb.size()); i++) {
      int c = compareStrings(ka.get(i), kb.get(i));
      if (c != 0) {
        return c;
      }
    }
    if (ka.size() != kb.size()) {
      return Integer.compare(ka.size(), kb.size());
    }
    for (String k : ka) {
      int c = compare(a.get(k), b.get(k));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  static String compact(JsonValue v) {
    StringBuilder sb = new StringBuilder();
    write(sb, v, -1, 0, false);
    return sb.toString();
  }

  /**
   * @param indent spaces per level, -1 for jq's {@code -c} output
   */
  static String format(JsonValue v, int indent, boolean sortKeys) {
    StringBuilder sb = new StringBuilder();
    write(sb, v, indent, 0, sortKeys);
    return sb.toString();
  }

  private static void write(StringBuilder sb, JsonValue v, int indent, int depth, boolean sort) {
    switch (v) {
      case JsonString s -> string(sb, s.getString());
      case JsonNumber n -> sb.append(number(n.bigDecimalValue()));
      case JsonArray a -> {
        List<Map.Entry<String, JsonValue>> items = new ArrayList<>();
        a.forEach(x -> items.add(Map.entry("", x)));
        container(sb, '[', ']', items, false, indent, depth, sort);
      }
      case JsonObject o -> {
        List<Map.Entry<String, JsonValue>> items = new ArrayList<>(o.entrySet());
        if (sort) {
          items.sort((x, y) -> compareStrings(x.getKey(), y.getKey()));
        }
        container(sb, '{', '}', items, true, indent, depth, sort);
      }
      default -> sb.append(v.toString());
    }
  }

  private static void container(
      StringBuilder sb,
      char open,
      char close,
      List<Map.Entry<String, JsonValue>> items,
      boolean keys,
      int indent,
      int depth,
      boolean sort) {
    sb.append(open);
    if (items.isEmpty()) {
      sb.append(close);
      return;
    }
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      newline(sb, indent, depth + 1);
      if (keys) {
        string(sb, items.get(i).getKey());
        sb.append(indent < 0 ? ":" : ": ");
      }
      write(sb, items.get(i).getValue(), indent, depth + 1, sort);
    }
    newline(sb, indent, depth);
    sb.append(close);
  }

  private static void newline(StringBuilder sb, int indent, int depth) {
    if (indent >= 0) {
      sb.append('\n').append(" ".repeat(indent * depth));
    }
  }

  /** jq writes integers plainly and other numbers in the shortest form, with e+NN exponents. */
  static String number(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    if (s.scale() <= 0 && s.precision() - s.scale() <= 17) {
      return s.toBigInteger().toString();
    }
    String j = Double.toString(d.doubleValue());
    int e = j.indexOf('E');
    if (e < 0) {
      return j;
    }
    String mantissa = j.substring(0, e);
    if (mantissa.endsWith(".0")) {
      mantissa = mantissa.substring(0, mantissa.length() - 2);
    }
    int exp = Integer.parseInt(j.substring(e + 1));
    return mantissa
        + "e"
        + (exp < 0 ? "-" : "+")
        + String.format(java.util.Locale.ROOT, "%02d", Math.abs(exp));
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
