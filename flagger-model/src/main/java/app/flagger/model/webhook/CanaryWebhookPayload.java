package app.flagger.model.webhook;

import app.flagger.model.json.Jsons;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON body Flagger posts to every webhook and event hook: {@code name}, {@code namespace},
 * {@code phase}, {@code checksum} and {@code metadata} (left out when empty).
 */
public record CanaryWebhookPayload(
    String name, String namespace, String phase, String checksum, Map<String, String> metadata) {

  /** Metadata key of the formatted event text, on event hooks. */
  public static final String EVENT_MESSAGE = "eventMessage";

  /** Metadata key of the event type ({@code Normal} or {@code Warning}), on event hooks. */
  public static final String EVENT_TYPE = "eventType";

  /** Metadata key of the event time in Unix epoch milliseconds, on event hooks. */
  public static final String TIMESTAMP = "timestamp";

  public CanaryWebhookPayload {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    phase = phase == null ? "" : phase;
    checksum = checksum == null ? "" : checksum;
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** Serializes the payload the way Flagger does (metadata omitted when empty). */
  public String toJson() {
    return toJsonObject().toString();
  }

  /** The payload as a JSON object. */
  public JsonObject toJsonObject() {
    JsonObjectBuilder b =
        Jsons.createObjectBuilder()
            .add("name", name)
            .add("namespace", namespace)
            .add("phase", phase)
            .add("checksum", checksum);
    if (!metadata.isEmpty()) {
      JsonObjectBuilder m = Jsons.createObjectBuilder();
      metadata.entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(e -> m.add(e.getKey(), e.getValue()));
      b.add("metadata", m);
    }
    return b.build();
  }

  /**
   * Parses a payload. Unknown fields are ignored, as Go's decoder does.
   *
   * @throws IllegalArgumentException naming the field that is missing or of the wrong type
   */
  public static CanaryWebhookPayload parse(String json) {
    JsonObject o;
    try (var reader = Jsons.createReader(new StringReader(json == null ? "" : json))) {
      o = reader.readObject();
    } catch (JsonParsingException e) {
      throw new IllegalArgumentException("payload is not valid JSON: " + e.getMessage(), e);
    } catch (JsonException e) {
      throw new IllegalArgumentException("payload must be a JSON object: " + e.getMessage(), e);
    }
    return new CanaryWebhookPayload(
        requiredString(o, "name"),
        requiredString(o, "namespace"),
        optionalString(o, "phase"),
        optionalString(o, "checksum"),
        metadata(o));
  }

  private static String requiredString(JsonObject o, String field) {
    String v = optionalString(o, field);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException(field + ": required, must be a non-empty string");
    }
    return v;
  }

  private static String optionalString(JsonObject o, String field) {
    JsonValue v = o.get(field);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (v instanceof JsonString s) {
      return s.getString();
    }
    throw new IllegalArgumentException(field + ": must be a string, got " + v.getValueType());
  }

  private static Map<String, String> metadata(JsonObject o) {
    JsonValue v = o.get("metadata");
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return Map.of();
    }
    if (!(v instanceof JsonObject m)) {
      throw new IllegalArgumentException("metadata: must be an object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    m.forEach(
        (k, val) -> {
          if (!(val instanceof JsonString s)) {
            throw new IllegalArgumentException(
                "metadata." + k + ": must be a string, got " + val.getValueType());
          }
          out.put(k, s.getString());
        });
    return out;
  }
}
