package app.flagger.model.support;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Checks a document against a CRD's structural schema the way the API server would: types, enums,
 * patterns, bounds, required fields, oneOf, and fields the schema does not know (which the API
 * server would silently prune, so we report them).
 */
public final class SchemaValidator {
  private SchemaValidator() {}

  public static List<String> validate(JsonNode value, JSONSchemaProps schema) {
    List<String> errors = new ArrayList<>();
    check(value, schema, "", errors);
    return errors;
  }

  private static void check(JsonNode v, JSONSchemaProps s, String path, List<String> errors) {
    if (v == null || v.isNull()) {
      return;
    }
    if (Boolean.TRUE.equals(s.getXKubernetesIntOrString())) {
      if (!v.isIntegralNumber() && !v.isString()) {
        errors.add(path + ": must be an integer or a string");
      }
      return;
    }
    String type = s.getType();
    if (type != null && !typeMatches(type, v)) {
      errors.add(path + ": must be of type " + type + ", got " + v.getNodeType());
      return;
    }
    scalar(v, s, path, errors);
    if (v.isObject()) {
      object(v, s, path, errors);
    } else if (v.isArray()) {
      if (s.getMaxItems() != null && v.size() > s.getMaxItems()) {
        errors.add(path + ": at most " + s.getMaxItems() + " items");
      }
      if (s.getItems() != null && s.getItems().getSchema() != null) {
        for (int i = 0; i < v.size(); i++) {
          check(v.get(i), s.getItems().getSchema(), path + "[" + i + "]", errors);
        }
      }
    }
  }

  private static void scalar(JsonNode v, JSONSchemaProps s, String path, List<String> errors) {
    if (s.getEnum() != null && !s.getEnum().isEmpty() && !s.getEnum().contains(v)) {
      errors.add(path + ": " + v + " is not one of " + s.getEnum());
    }
    if (s.getPattern() != null
        && v.isString()
        && !Pattern.compile(s.getPattern()).matcher(v.asString()).find()) {
      errors.add(path + ": '" + v.asString() + "' does not match " + s.getPattern());
    }
    if (s.getMinimum() != null && v.isNumber() && v.asDouble() < s.getMinimum()) {
      errors.add(path + ": " + v + " is below the minimum " + s.getMinimum());
    }
    if (s.getMaximum() != null && v.isNumber() && v.asDouble() > s.getMaximum()) {
      errors.add(path + ": " + v + " is above the maximum " + s.getMaximum());
    }
  }

  private static void object(JsonNode v, JSONSchemaProps s, String path, List<String> errors) {
    if (s.getRequired() != null) {
      for (String r : s.getRequired()) {
        if (!v.has(r)) {
          errors.add(path + "." + r + ": required");
        }
      }
    }
    if (s.getOneOf() != null && !s.getOneOf().isEmpty()) {
      long matching =
          s.getOneOf().stream().filter(b -> b.getRequired().stream().allMatch(v::has)).count();
      if (matching != 1) {
        errors.add(
            path
                + ": must match exactly one of "
                + s.getOneOf().stream().map(JSONSchemaProps::getRequired).toList()
                + ", matched "
                + matching);
      }
    }
    Map<String, JSONSchemaProps> props = s.getProperties();
    for (var e : v.properties()) {
      String child = path + "." + e.getKey();
      if (props != null && props.containsKey(e.getKey())) {
        check(e.getValue(), props.get(e.getKey()), child, errors);
      } else if (s.getAdditionalProperties() != null
          && s.getAdditionalProperties().getSchema() != null) {
        check(e.getValue(), s.getAdditionalProperties().getSchema(), child, errors);
      } else if (props != null
          && !props.isEmpty()
          && !Boolean.TRUE.equals(s.getXKubernetesPreserveUnknownFields())) {
        errors.add(child + ": unknown field");
      }
    }
  }

  private static boolean typeMatches(String type, JsonNode v) {
    return switch (type) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isString();
      case "integer" -> v.isIntegralNumber();
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      default -> true;
    };
  }
}
