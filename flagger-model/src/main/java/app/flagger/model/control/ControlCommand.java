package app.flagger.model.control;

import app.flagger.model.canary.WebhookType;
import app.flagger.model.json.Jsons;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.List;

/**
 * A request to steer a release, as the JSON value of the Canary's annotation {@value #ANNOTATION}:
 *
 * <pre>{@code
 * control.flagger.app/command: '{"id":"7f3c...","action":"approve","gate":"confirm-promotion",
 *                                "user":"alice","requestedAt":"2026-12-06T10:00:00Z"}'
 * }</pre>
 *
 * <p>One command at a time: a new one replaces the annotation. The controller handles a command
 * once, the first tick that sees its {@code id} differ from {@code status.control.lastCommandId},
 * so writing the same command twice, or a controller restart before the acknowledgement, does it
 * once.
 *
 * @param id unique per request (the plugin uses a random UUID); required
 * @param action what is asked; required
 * @param gate for {@link ControlAction#APPROVE}: confirm-rollout, confirm-traffic-increase or
 *     confirm-promotion; null otherwise
 * @param user who asked, for the event ({@code Promotion requested by <user>}); may be null
 * @param requestedAt RFC 3339 time of the request; may be null
 */
public record ControlCommand(
    String id, ControlAction action, String gate, String user, String requestedAt) {
  /** The annotation that carries a command. */
  public static final String ANNOTATION = "control.flagger.app/command";

  /** The gates {@link ControlAction#APPROVE} can open. */
  public static final List<String> GATES =
      List.of(
          WebhookType.CONFIRM_ROLLOUT.value(),
          WebhookType.CONFIRM_TRAFFIC_INCREASE.value(),
          WebhookType.CONFIRM_PROMOTION.value());

  /** Checks the fields: an id, and a gate exactly when approving. */
  public ControlCommand {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException(ANNOTATION + ": id: required, a unique request id");
    }
    if (action == null) {
      throw new IllegalArgumentException(ANNOTATION + ": action: required, one of " + actions());
    }
    if (action == ControlAction.APPROVE && (gate == null || !GATES.contains(gate))) {
      throw new IllegalArgumentException(
          ANNOTATION + ": gate: expected one of " + GATES + " to approve, got " + quoted(gate));
    }
    if (action != ControlAction.APPROVE && gate != null) {
      throw new IllegalArgumentException(
          ANNOTATION + ": gate: only allowed with action approve, got action " + action.value());
    }
  }

  /**
   * Reads the annotation's value.
   *
   * @throws IllegalArgumentException naming the field and what was expected
   */
  public static ControlCommand parse(String json) {
    JsonObject o;
    try (var reader = Jsons.createReader(new StringReader(json == null ? "" : json))) {
      o = reader.readObject();
    } catch (JsonException | IllegalStateException e) {
      throw new IllegalArgumentException(
          ANNOTATION + ": expected a JSON object with id and action, got " + quoted(json), e);
    }
    String action = string(o, "action");
    return new ControlCommand(
        string(o, "id"),
        action == null
            ? null
            : ControlAction.parse(action)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            ANNOTATION
                                + ": action: expected one of "
                                + actions()
                                + ", got "
                                + quoted(action))),
        string(o, "gate"),
        string(o, "user"),
        string(o, "requestedAt"));
  }

  /** The annotation's value. */
  public String toJson() {
    JsonObjectBuilder b = Jsons.createObjectBuilder().add("id", id).add("action", action.value());
    if (gate != null) {
      b.add("gate", gate);
    }
    if (user != null) {
      b.add("user", user);
    }
    if (requestedAt != null) {
      b.add("requestedAt", requestedAt);
    }
    return b.build().toString();
  }

  /** Who asked, as events name them: the user, or "unknown user". */
  public String requester() {
    return user == null || user.isBlank() ? "unknown user" : user;
  }

  private static String string(JsonObject o, String key) {
    JsonValue v = o.get(key);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (v instanceof JsonString s) {
      return s.getString();
    }
    throw new IllegalArgumentException(
        ANNOTATION + ": " + key + ": expected a string, got " + v.getValueType());
  }

  private static List<String> actions() {
    return app.flagger.model.common.StringEnum.values(ControlAction.class);
  }

  private static String quoted(String s) {
    return s == null ? "nothing" : "'" + s + "'";
  }
}
