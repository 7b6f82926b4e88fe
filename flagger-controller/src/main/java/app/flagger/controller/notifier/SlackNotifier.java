package app.flagger.controller.notifier;

import app.flagger.model.alert.AlertSeverity;
import java.time.Duration;
import java.util.List;

/**
 * Slack incoming webhooks, or {@code chat.postMessage} with a bot token (sent as {@code
 * Authorization: Bearer}).
 */
public final class SlackNotifier implements Notifier {
  private final NotifierHttp http;
  private final String username;
  private final String channel;

  public SlackNotifier(
      String address,
      String proxy,
      String username,
      String channel,
      String token,
      Duration timeout,
      long responseLimit)
      throws NotifierException {
    var url = NotifierHttp.parseUrl(address, "Slack hook");
    if (username == null || username.isEmpty()) {
      throw new NotifierException("empty Slack username");
    }
    if (channel == null || channel.isEmpty()) {
      throw new NotifierException("empty Slack channel");
    }
    this.http = new NotifierHttp(url, proxy, token, timeout, responseLimit);
    this.username = username;
    this.channel = channel;
  }

  @Override
  public void post(
      String workload, String namespace, String message, List<Field> fields, AlertSeverity severity)
      throws NotifierException {
    String color = severity == AlertSeverity.ERROR ? "danger" : "good";
    http.post(SlackPayload.of(channel, username, color, workload, namespace, message, fields));
  }
}
