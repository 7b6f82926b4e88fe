package app.flagger.controller.notifier;

/**
 * The controller-wide notifier settings (Flagger's {@code -slack-*} and {@code -msteams-*} flags
 * and their environment variables); the controller's configuration maps them in.
 */
public record GlobalNotifierSettings(
    String slackUrl,
    String slackToken,
    String slackProxy,
    String slackUser,
    String slackChannel,
    String msteamsUrl,
    String msteamsProxy) {

  /** No global notifier. */
  public static final GlobalNotifierSettings NONE =
      new GlobalNotifierSettings(null, null, null, null, null, null, null);

  /** The Slack user name, {@code flagger} by default. */
  public String slackUserOrDefault() {
    return slackUser == null || slackUser.isEmpty() ? "flagger" : slackUser;
  }

  @Override
  public String toString() {
    return "GlobalNotifierSettings[slack="
        + (slackUrl != null && !slackUrl.isEmpty())
        + ", msteams="
        + (msteamsUrl != null && !msteamsUrl.isEmpty())
        + ", channel="
        + slackChannel
        + "]";
  }
}
