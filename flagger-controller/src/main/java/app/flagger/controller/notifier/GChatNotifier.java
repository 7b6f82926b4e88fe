package app.flagger.controller.notifier;

import app.flagger.model.alert.AlertSeverity;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.time.Duration;
import java.util.List;

/** Google Chat incoming webhooks (a card with one section per line). */
public final class GChatNotifier implements Notifier {
  private final NotifierHttp http;

  public GChatNotifier(String address, String proxy, Duration timeout, long responseLimit)
      throws NotifierException {
    this.http =
        new NotifierHttp(
            NotifierHttp.parseUrl(address, "Google Chat webhook"),
            proxy,
            null,
            timeout,
            responseLimit);
  }

  @Override
  public void post(
      String workload, String namespace, String message, List<Field> fields, AlertSeverity severity)
      throws NotifierException {
    JsonArrayBuilder sections = Json.createArrayBuilder();
    sections.add(section("<font color=#848484><strong>" + message + "</strong></font>"));
    for (Field f : fields) {
      sections.add(
          section(f.name() + "<br><font color=#848484><strong>" + f.value() + "</strong></font>"));
    }
    http.post(
        Json.createObjectBuilder()
            .add(
                "cards",
                Json.createArrayBuilder()
                    .add(
                        Json.createObjectBuilder()
                            .add(
                                "header",
                                Json.createObjectBuilder()
                                    .add("title", "Flagger")
                                    .add("subtitle", workload + "." + namespace)
                                    .add("imageUrl", "https://flagger.app/favicon.png"))
                            .add("sections", sections)))
            .build());
  }

  private static JsonObjectBuilder section(String text) {
    return Json.createObjectBuilder()
        .add(
            "widgets",
            Json.createArrayBuilder()
                .add(
                    Json.createObjectBuilder()
                        .add("textParagraph", Json.createObjectBuilder().add("text", text))));
  }
}
