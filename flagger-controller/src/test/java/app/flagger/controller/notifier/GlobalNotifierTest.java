package app.flagger.controller.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.TestFactories;
import org.junit.jupiter.api.Test;

class GlobalNotifierTest {
  private final NotifierFactory factory = TestFactories.notifiers();

  @Test
  void noUrlMeansNoGlobalNotifier() {
    assertThat(factory.global(GlobalNotifierSettings.NONE)).isEmpty();
  }

  @Test
  void slackNeedsAChannel() {
    var settings =
        new GlobalNotifierSettings(
            "https://hooks.slack.com/services/x", null, null, null, "", null, null, null);
    assertThat(factory.global(settings)).isEmpty();
    var withChannel =
        new GlobalNotifierSettings(
            "https://hooks.slack.com/services/x", "tok", null, null, "general", null, null, null);
    assertThat(factory.global(withChannel).map(GlobalNotifierTest::unwrap))
        .containsInstanceOf(SlackNotifier.class);
  }

  @Test
  void aTeamsUrlSwitchesToTeams() {
    var settings =
        new GlobalNotifierSettings(
            "https://hooks.slack.com/services/x",
            null,
            null,
            null,
            "general",
            "https://example.webhook.office.com/x",
            "http://proxy:3128",
            null);
    assertThat(factory.global(settings).map(GlobalNotifierTest::unwrap))
        .containsInstanceOf(MsTeamsNotifier.class);
  }

  @Test
  void settingsNeverPrintSecrets() {
    var settings =
        new GlobalNotifierSettings(
            "https://hooks.slack.com/services/SECRET",
            "xoxb-SECRET",
            null,
            null,
            "c",
            null,
            null,
            null);
    assertThat(settings.toString()).doesNotContain("SECRET");
  }

  /** The factory's notifiers record their posts; the one doing the work is inside. */
  private static Notifier unwrap(Notifier n) {
    return n instanceof MeteredNotifier m ? m.delegate() : n;
  }
}
