package app.flagger.grafana.provision;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Compares what we want with what Grafana returns: every field we set must be there with the same
 * value; fields Grafana adds ({@code id}, {@code version}, {@code orgId}, ...) are ignored.
 */
final class JsonSubset {
  private JsonSubset() {}

  static boolean contains(JsonValue actual, JsonValue wanted) {
    if (wanted.getValueType() == JsonValue.ValueType.OBJECT) {
      if (actual.getValueType() != JsonValue.ValueType.OBJECT) {
        return false;
      }
      JsonObject a = actual.asJsonObject();
      for (var e : wanted.asJsonObject().entrySet()) {
        JsonValue got = a.get(e.getKey());
        if (got == null) {
          if (e.getValue().getValueType() != JsonValue.ValueType.NULL) {
            return false;
          }
        } else if (!contains(got, e.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (wanted.getValueType() == JsonValue.ValueType.ARRAY) {
      if (actual.getValueType() != JsonValue.ValueType.ARRAY) {
        return false;
      }
      JsonArray a = actual.asJsonArray();
      JsonArray w = wanted.asJsonArray();
      if (a.size() != w.size()) {
        return false;
      }
      for (int i = 0; i < w.size(); i++) {
        if (!contains(a.get(i), w.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (wanted.getValueType() == JsonValue.ValueType.NUMBER
        && actual.getValueType() == JsonValue.ValueType.NUMBER) {
      return ((JsonNumber) wanted)
              .bigDecimalValue()
              .compareTo(((JsonNumber) actual).bigDecimalValue())
          == 0;
    }
    return wanted.equals(actual);
  }
}
