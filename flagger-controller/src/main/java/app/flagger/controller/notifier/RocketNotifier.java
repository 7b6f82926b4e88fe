package app.flagger.controller.notifier;

import app.flagger.model.alert.AlertSeverity;
import java.time.Duration;
import java.util.List;

/** Rocket.Chat incoming webhooks (Slack-compatible payload, blue or red). */
public final class RocketNotifier implements Notifier {
  private final NotifierHttp http;
  private final String username;
  private final String channel;

  public RocketNotifier(
      String address,
      String proxy,
      String username,
      String channel,
      Duration timeout,
      long responseLimit)
      throws NotifierException {
    var url = NotifierHttp.parseUrl(address, "Rocket hook");
    if (username == null || username.isEmpty()) {
      throw new NotifierException("empty Rocket username");
    }
    if (channel == null || channel.isEmpty()) {
      throw new NotifierException("empty Rocket channel");
    }
    this.http = new NotifierHttp(url, proxy, null, timeout, responseLimit);
    this.username = username;
    this.channel = channel;
  }

  @Override
  public void post(
      String workload, String namespace, String message, List<Field> fields, AlertSeverity severity)
      throws NotifierException {
    String color = severity == AlertSeverity.ERROR ? "#FF0000" : "#0076D7";
    http.post(SlackPayload.of(channel, username, color, workload, namespace, message, fields));
  }
}
