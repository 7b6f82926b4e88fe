package app.flagger.controller.notifier;

import app.flagger.model.alert.AlertSeverity;
import app.flagger.model.json.Jsons;
import jakarta.json.JsonArrayBuilder;
import java.time.Duration;
import java.util.List;

/** Microsoft Teams incoming webhooks (a MessageCard). */
public final class MsTeamsNotifier implements Notifier {
  private final NotifierHttp http;

  public MsTeamsNotifier(String address, String proxy, Duration timeout, long responseLimit)
      throws NotifierException {
    this.http =
        new NotifierHttp(
            NotifierHttp.parseUrl(address, "MS Teams webhook"),
            proxy,
            null,
            timeout,
            responseLimit);
  }

  @Override
  public void post(
      String workload, String namespace, String message, List<Field> fields, AlertSeverity severity)
      throws NotifierException {
    JsonArrayBuilder facts = Jsons.createArrayBuilder();
    fields.forEach(
        f -> facts.add(Jsons.createObjectBuilder().add("name", f.name()).add("value", f.value())));
    String subject = workload + "." + namespace;
    http.post(
        Jsons.createObjectBuilder()
            .add("@type", "MessageCard")
            .add("@context", "http://schema.org/extensions")
            .add("themeColor", severity == AlertSeverity.ERROR ? "FF0000" : "0076D7")
            .add("summary", subject)
            .add(
                "sections",
                Jsons.createArrayBuilder()
                    .add(
                        Jsons.createObjectBuilder()
                            .add("activityTitle", message)
                            .add("activitySubtitle", subject)
                            .add("facts", facts)))
            .build());
  }
}
