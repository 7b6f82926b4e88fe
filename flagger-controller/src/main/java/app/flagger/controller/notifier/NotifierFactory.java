package app.flagger.controller.notifier;

import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.model.alert.AlertProviderType;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Builds a notifier per AlertProvider type (Flagger's {@code notifier.Factory}); every notifier it
 * builds records its posts as {@code notifier} calls in {@link ControllerMetrics}.
 */
public class NotifierFactory {
  private static final Logger LOG = Logger.getLogger(NotifierFactory.class.getName());

  /** Flagger's notification timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private final Duration timeout;
  private final ControllerMetrics metrics;
  private final long responseLimit;

  /**
   * @param timeout bound on connecting to and answering from a hook
   * @param metrics where the notifiers' posts are counted and timed
   * @param responseLimit the most bytes of an error answer read ({@code
   *     flagger.http-response-limit})
   */
  public NotifierFactory(Duration timeout, ControllerMetrics metrics, long responseLimit) {
    this.timeout = timeout;
    this.metrics = metrics;
    this.responseLimit = responseLimit;
  }

  /**
   * A notifier for {@code type}; an empty address gives a {@link NopNotifier}.
   *
   * @param token bearer token, used by Slack only
   */
  public Notifier create(
      String type, String address, String proxy, String username, String channel, String token)
      throws NotifierException {
    if (address == null || address.isEmpty()) {
      return new NopNotifier();
    }
    AlertProviderType t =
        AlertProviderType.parse(type)
            .orElseThrow(() -> new NotifierException("provider type " + type + " not supported"));
    Notifier notifier =
        switch (t) {
          case SLACK ->
              new SlackNotifier(address, proxy, username, channel, token, timeout, responseLimit);
          case MSTEAMS -> new MsTeamsNotifier(address, proxy, timeout, responseLimit);
          case DISCORD ->
              new DiscordNotifier(address, proxy, username, channel, timeout, responseLimit);
          case ROCKET ->
              new RocketNotifier(address, proxy, username, channel, timeout, responseLimit);
          case GCHAT -> new GChatNotifier(address, proxy, timeout, responseLimit);
        };
    return new MeteredNotifier(notifier, metrics);
  }

  /**
   * The controller-wide notifier for Canaries without {@code analysis.alerts}: Slack from the
   * {@code slack-*} settings, switched to Microsoft Teams when a Teams URL is set. Empty when no
   * URL is configured or the settings are invalid (logged as {@code Notifier ...}). With secret
   * files ({@link GlobalNotifierSettings#files()}) the notifier is always present and reads the
   * files at each alert, so a Secret created or rotated after the start is picked up; an alert then
   * sends nothing while no URL is set.
   */
  public Optional<Notifier> global(GlobalNotifierSettings settings) {
    if (settings.files().any()) {
      LOG.info(
          () ->
              "Global notifier settings read at each alert from "
                  + settings.files().byKey().keySet());
      return Optional.of(new GlobalNotifierFromFiles(settings, this));
    }
    try {
      Optional<Notifier> n = build(settings);
      n.ifPresent(x -> LOG.info(() -> "Notifications enabled for " + prefix(settings)));
      return n;
    } catch (NotifierException e) {
      LOG.severe(() -> "Notifier " + e.getMessage());
      return Optional.empty();
    }
  }

  /** The global notifier of settings without files; empty when no URL is set. */
  Optional<Notifier> build(GlobalNotifierSettings settings) throws NotifierException {
    String url = url(settings);
    if (url.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        teams(settings)
            ? create("msteams", url, settings.msteamsProxy(), null, null, null)
            : create(
                "slack",
                url,
                settings.slackProxy(),
                settings.slackUserOrDefault(),
                settings.slackChannel(),
                settings.slackToken()));
  }

  private static boolean teams(GlobalNotifierSettings settings) {
    return settings.msteamsUrl() != null && !settings.msteamsUrl().isEmpty();
  }

  private static String url(GlobalNotifierSettings settings) {
    String url = teams(settings) ? settings.msteamsUrl() : settings.slackUrl();
    return url == null ? "" : url;
  }

  /** The start of the URL, without the path segments that hold its secret. */
  private static String prefix(GlobalNotifierSettings settings) {
    String url = url(settings);
    return url.substring(0, Math.min(30, url.length()));
  }
}
