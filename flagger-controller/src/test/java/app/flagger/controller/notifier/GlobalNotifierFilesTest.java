package app.flagger.controller.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.support.TestFactories;
import app.flagger.model.alert.AlertSeverity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The global notifier's secrets read from files (a mounted Secret) at each alert. */
class GlobalNotifierFilesTest {
  private final NotifierFactory factory = TestFactories.notifiers();
  @TempDir Path dir;
  private MockWebServer server;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static GlobalNotifierSettings slack(String url, NotifierSecretFiles files) {
    return new GlobalNotifierSettings(url, null, null, null, "general", null, null, files);
  }

  private static NotifierSecretFiles slackUrlFile(Path file) {
    return new NotifierSecretFiles(file.toString(), "", "", "", "");
  }

  @Test
  void anExistingFileWinsOverThePlainValue() throws Exception {
    Path url = Files.writeString(dir.resolve("slack-url"), "https://hooks.slack.com/from-file\n");
    Path token = Files.writeString(dir.resolve("slack-token"), "xoxb-from-file");

    GlobalNotifierSettings resolved =
        new GlobalNotifierSettings(
                "https://hooks.slack.com/plain",
                "xoxb-plain",
                null,
                null,
                "general",
                null,
                null,
                new NotifierSecretFiles(url.toString(), token.toString(), "", "", ""))
            .resolve();

    assertThat(resolved.slackUrl()).isEqualTo("https://hooks.slack.com/from-file");
    assertThat(resolved.slackToken()).isEqualTo("xoxb-from-file");
    assertThat(resolved.files()).isEqualTo(NotifierSecretFiles.NONE);
  }

  /** The Secret is optional: without it (or without the key) the plain value stays. */
  @Test
  void aMissingOrBlankFileKeepsThePlainValue() throws Exception {
    Path blank = Files.writeString(dir.resolve("blank"), " \n");
    GlobalNotifierSettings missing =
        slack("https://hooks.slack.com/plain", slackUrlFile(dir.resolve("absent")));
    GlobalNotifierSettings empty = slack("https://hooks.slack.com/plain", slackUrlFile(blank));

    assertThat(missing.resolve().slackUrl()).isEqualTo("https://hooks.slack.com/plain");
    assertThat(empty.resolve().slackUrl()).isEqualTo("https://hooks.slack.com/plain");
    assertThat(slack("", slackUrlFile(dir.resolve("absent"))).resolve().slackUrl()).isEmpty();
  }

  @Test
  void anUnreadableFileNamesItsKey() {
    GlobalNotifierSettings settings =
        slack("", new NotifierSecretFiles("", "", "", dir.toString(), ""));

    assertThatThrownBy(settings::resolve)
        .isInstanceOf(NotifierException.class)
        .hasMessageStartingWith("flagger.msteams.url-file: cannot read " + dir);
    assertThatThrownBy(
            () ->
                factory
                    .global(settings)
                    .orElseThrow()
                    .post("podinfo", "test", "msg", List.of(), AlertSeverity.INFO))
        .hasMessageStartingWith("flagger.msteams.url-file: cannot read " + dir);
  }

  @Test
  void aDirectoryInPlaceOfAFileStopsTheStartNamingTheKey() {
    NotifierSecretFiles files = new NotifierSecretFiles("", "", dir.toString(), "", "");

    assertThatThrownBy(files::checkReadable)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "flagger.slack.proxy-url-file: cannot read " + dir + ": expected a readable file");
    new NotifierSecretFiles(dir.resolve("absent").toString(), "", "", "", "").checkReadable();
  }

  /**
   * The Secret may be created or rotated after the start: the notifier exists from the start, sends
   * nothing while no URL is there, and posts to the URL the file holds at each alert.
   */
  @Test
  void aSecretCreatedOrRotatedAfterTheStartIsUsedAtTheNextAlert() throws Exception {
    Path file = dir.resolve("slack-url");
    Notifier global = factory.global(slack("", slackUrlFile(file))).orElseThrow();

    global.post("podinfo", "test", "before the Secret", List.of(), AlertSeverity.INFO);
    assertThat(server.getRequestCount()).isZero();

    Files.writeString(file, server.url("/first").toString());
    server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    global.post("podinfo", "test", "one", List.of(), AlertSeverity.INFO);
    Files.writeString(file, server.url("/second").toString());
    server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    global.post("podinfo", "test", "two", List.of(), AlertSeverity.INFO);

    RecordedRequest first = server.takeRequest(5, TimeUnit.SECONDS);
    RecordedRequest second = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(first.getUrl().encodedPath()).isEqualTo("/first");
    assertThat(first.getBody().utf8()).contains("one");
    assertThat(second.getUrl().encodedPath()).isEqualTo("/second");
    assertThat(second.getBody().utf8()).contains("two");
  }

  @Test
  void aTeamsUrlFileSwitchesToTeamsAndTheFilesNeverPrint() throws Exception {
    Path teams = Files.writeString(dir.resolve("msteams-url"), "https://x.office.com/SECRET");
    GlobalNotifierSettings settings =
        slack(
            "https://hooks.slack.com/SECRET",
            new NotifierSecretFiles("", "", "", teams.toString(), ""));

    GlobalNotifierFromFiles global =
        (GlobalNotifierFromFiles) factory.global(settings).orElseThrow();
    assertThat(global.current().map(n -> n instanceof MeteredNotifier m ? m.delegate() : n))
        .containsInstanceOf(MsTeamsNotifier.class);
    assertThat(settings.toString())
        .doesNotContain("SECRET")
        .contains("files=[flagger.msteams.url-file]");
  }
}
