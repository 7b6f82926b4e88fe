package app.flagger.controller.notifier;

/**
 * The controller-wide notifier settings (Flagger's {@code -slack-*} and {@code -msteams-*} flags
 * and their environment variables); the controller's configuration maps them in. The secrets (URLs,
 * token, proxies) may instead come from {@link #files()}, read at each alert so a rotated Secret is
 * picked up.
 */
public record GlobalNotifierSettings(
    String slackUrl,
    String slackToken,
    String slackProxy,
    String slackUser,
    String slackChannel,
    String msteamsUrl,
    String msteamsProxy,
    NotifierSecretFiles files) {

  /** No global notifier. */
  public static final GlobalNotifierSettings NONE =
      new GlobalNotifierSettings(null, null, null, null, null, null, null, null);

  /** A null {@code files} means none. */
  public GlobalNotifierSettings {
    files = files == null ? NotifierSecretFiles.NONE : files;
  }

  /** The Slack user name, {@code flagger} by default. */
  public String slackUserOrDefault() {
    return slackUser == null || slackUser.isEmpty() ? "flagger" : slackUser;
  }

  /**
   * The settings with each secret read from its file where the file exists and is not blank; the
   * plain value stays otherwise. The result has no files.
   *
   * @throws NotifierException naming the key when a file exists but cannot be read
   */
  public GlobalNotifierSettings resolve() throws NotifierException {
    if (!files.any()) {
      return this;
    }
    return new GlobalNotifierSettings(
        NotifierSecretFiles.read("flagger.slack.url-file", files.slackUrl()).orElse(slackUrl),
        NotifierSecretFiles.read("flagger.slack.token-file", files.slackToken()).orElse(slackToken),
        NotifierSecretFiles.read("flagger.slack.proxy-url-file", files.slackProxy())
            .orElse(slackProxy),
        slackUser,
        slackChannel,
        NotifierSecretFiles.read("flagger.msteams.url-file", files.msteamsUrl()).orElse(msteamsUrl),
        NotifierSecretFiles.read("flagger.msteams.proxy-url-file", files.msteamsProxy())
            .orElse(msteamsProxy),
        NotifierSecretFiles.NONE);
  }

  @Override
  public String toString() {
    return "GlobalNotifierSettings[slack="
        + (slackUrl != null && !slackUrl.isEmpty())
        + ", msteams="
        + (msteamsUrl != null && !msteamsUrl.isEmpty())
        + ", channel="
        + slackChannel
        + (files.any() ? ", files=" + files.byKey().keySet() : "")
        + "]";
  }
}
