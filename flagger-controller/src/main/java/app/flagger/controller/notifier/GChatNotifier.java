package app.flagger.controller.notifier;

import app.flagger.model.alert.AlertSeverity;
import app.flagger.model.json.Jsons;
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
    JsonArrayBuilder sections = Jsons.createArrayBuilder();
    sections.add(section("<font color=#848484><strong>" + message + "</strong></font>"));
    for (Field f : fields) {
      sections.add(
          section(f.name() + "<br><font color=#848484><strong>" + f.value() + "</strong></font>"));
    }
    http.post(
        Jsons.createObjectBuilder()
            .add(
                "cards",
                Jsons.createArrayBuilder()
                    .add(
                        Jsons.createObjectBuilder()
                            .add(
                                "header",
                                Jsons.createObjectBuilder()
                                    .add("title", "Flagger")
                                    .add("subtitle", workload + "." + namespace)
                                    .add("imageUrl", "https://flagger.app/favicon.png"))
                            .add("sections", sections)))
            .build());
  }

  private static JsonObjectBuilder section(String text) {
    return Jsons.createObjectBuilder()
        .add(
            "widgets",
            Jsons.createArrayBuilder()
                .add(
                    Jsons.createObjectBuilder()
                        .add("textParagraph", Jsons.createObjectBuilder().add("text", text))));
  }
}
