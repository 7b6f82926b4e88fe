package app.flagger.controller.notifier;

import app.flagger.controller.notifier.Notifier.Field;
import app.flagger.model.json.Jsons;
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
    JsonArrayBuilder lines = Jsons.createArrayBuilder();
    for (Field f : fields) {
      lines.add(
          Jsons.createObjectBuilder()
              .add("title", f.name())
              .add("value", f.value())
              .add("short", false));
    }
    return Jsons.createObjectBuilder()
        .add("channel", channel)
        .add("username", username)
        .add("icon_url", "")
        .add("icon_emoji", ":rocket:")
        .add(
            "attachments",
            Jsons.createArrayBuilder()
                .add(
                    Jsons.createObjectBuilder()
                        .add("color", color)
                        .add("author_name", workload + "." + namespace)
                        .add("text", message)
                        .add("mrkdwn_in", Jsons.createArrayBuilder().add("text"))
                        .add("fields", lines)))
        .build();
  }
}
