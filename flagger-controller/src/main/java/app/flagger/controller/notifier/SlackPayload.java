package app.flagger.controller.notifier;

import app.flagger.controller.notifier.Notifier.Field;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.util.List;

/** The Slack-compatible attachment payload shared by Slack, Discord and Rocket.Chat. */
final class SlackPayload {
  private SlackPayload() {}

  static JsonObject of(
      String channel,
      String username,
      String color,
      String workload,
      String namespace,
      String message,
      List<Field> fields) {
    JsonArrayBuilder lines = Json.createArrayBuilder();
    for (Field f : fields) {
      lines.add(
          Json.createObjectBuilder()
              .add("title", f.name())
              .add("value", f.value())
              .add("short", false));
    }
    return Json.createObjectBuilder()
        .add("channel", channel)
        .add("username", username)
        .add("icon_url", "")
        .add("icon_emoji", ":rocket:")
        .add(
            "attachments",
            Json.createArrayBuilder()
                .add(
                    Json.createObjectBuilder()
                        .add("color", color)
                        .add("author_name", workload + "." + namespace)
                        .add("text", message)
                        .add("mrkdwn_in", Json.createArrayBuilder().add("text"))
                        .add("fields", lines)))
        .build();
  }
}
