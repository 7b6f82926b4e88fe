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
   * URL is configured or the settings are invalid (logged as {@code Notifier ...}).
   */
  public Optional<Notifier> global(GlobalNotifierSettings settings) {
    boolean teams = settings.msteamsUrl() != null && !settings.msteamsUrl().isEmpty();
    String url = teams ? settings.msteamsUrl() : settings.slackUrl();
    if (url == null || url.isEmpty()) {
      return Optional.empty();
    }
    try {
      Notifier n =
          teams
              ? create("msteams", url, settings.msteamsProxy(), null, null, null)
              : create(
                  "slack",
                  url,
                  settings.slackProxy(),
                  settings.slackUserOrDefault(),
                  settings.slackChannel(),
                  settings.slackToken());
      LOG.info(() -> "Notifications enabled for " + url.substring(0, Math.min(30, url.length())));
      return Optional.of(n);
    } catch (NotifierException e) {
      LOG.severe(() -> "Notifier " + e.getMessage());
      return Optional.empty();
    }
  }
}
