package app.flagger.controller.notifier;

import app.flagger.model.alert.AlertSeverity;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Discord through its Slack-compatible endpoint: {@code /slack} is appended to the hook path. */
public final class DiscordNotifier implements Notifier {
  private final NotifierHttp http;
  private final String username;
  private final String channel;

  public DiscordNotifier(
      String address,
      String proxy,
      String username,
      String channel,
      Duration timeout,
      long responseLimit)
      throws NotifierException {
    URI url = NotifierHttp.parseUrl(address, "Discord hook");
    if (username == null || username.isEmpty()) {
      throw new NotifierException("empty Discord username");
    }
    if (channel == null || channel.isEmpty()) {
      throw new NotifierException("empty Discord channel");
    }
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    if (!path.endsWith("/slack")) {
      url =
          url.resolve(path + "/slack" + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
    }
    this.http = new NotifierHttp(url, proxy, null, timeout, responseLimit);
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
