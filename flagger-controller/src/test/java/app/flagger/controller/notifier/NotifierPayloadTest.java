package app.flagger.controller.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.notifier.Notifier.Field;
import app.flagger.controller.support.GeneratedBody;
import app.flagger.controller.support.TestFactories;
import app.flagger.model.alert.AlertSeverity;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each notifier's request against a local hook: method, headers and the exact JSON payload. */
class NotifierPayloadTest {
  private static final List<Field> FIELDS =
      List.of(new Field("Cluster", "prod"), new Field("Target", "Deployment/podinfo.test"));

  private final NotifierFactory factory = TestFactories.notifiers();
  private MockWebServer server;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static JsonObject json(String text) {
    return Json.createReader(new StringReader(text)).readObject();
  }

  private RecordedRequest taken() throws InterruptedException {
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getHeaders().get("Content-Type")).startsWith("application/json");
    return r;
  }

  private static final String SLACK =
      """
      {"channel":"on-call","username":"flagger","icon_url":"","icon_emoji":":rocket:",
       "attachments":[{"color":"%s","author_name":"podinfo.test","text":"Canary failed",
         "mrkdwn_in":["text"],
         "fields":[{"title":"Cluster","value":"prod","short":false},
                   {"title":"Target","value":"Deployment/podinfo.test","short":false}]}]}""";

  @Test
  void slackPayloadAndBearerToken() throws Exception {
    factory
        .create("slack", server.url("/hook").toString(), null, "flagger", "on-call", "xoxb-1")
        .post("podinfo", "test", "Canary failed", FIELDS, AlertSeverity.ERROR);
    RecordedRequest r = taken();
    assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer xoxb-1");
    assertThat(json(r.getBody().utf8())).isEqualTo(json(SLACK.formatted("danger")));
  }

  @Test
  void discordAppendsSlackToThePath() throws Exception {
    factory
        .create(
            "discord",
            server.url("/api/webhooks/1/abc").toString(),
            null,
            "flagger",
            "on-call",
            null)
        .post("podinfo", "test", "Canary failed", FIELDS, AlertSeverity.INFO);
    RecordedRequest r = taken();
    assertThat(r.getUrl().encodedPath()).isEqualTo("/api/webhooks/1/abc/slack");
    assertThat(r.getHeaders().get("Authorization")).isNull();
    assertThat(json(r.getBody().utf8())).isEqualTo(json(SLACK.formatted("good")));
  }

  @Test
  void rocketUsesBlueAndRed() throws Exception {
    factory
        .create("rocket", server.url("/hooks/x").toString(), null, "flagger", "on-call", null)
        .post("podinfo", "test", "Canary failed", FIELDS, AlertSeverity.ERROR);
    assertThat(json(taken().getBody().utf8())).isEqualTo(json(SLACK.formatted("#FF0000")));
  }

  @Test
  void msTeamsMessageCard() throws Exception {
    factory
        .create("msteams", server.url("/webhook").toString(), null, null, null, null)
        .post("podinfo", "test", "Canary failed", FIELDS, AlertSeverity.WARN);
    assertThat(json(taken().getBody().utf8()))
        .isEqualTo(
            json(
                """
                {"@type":"MessageCard","@context":"http://schema.org/extensions",
                 "themeColor":"0076D7","summary":"podinfo.test",
                 "sections":[{"activityTitle":"Canary failed","activitySubtitle":"podinfo.test",
                   "facts":[{"name":"Cluster","value":"prod"},
                            {"name":"Target","value":"Deployment/podinfo.test"}]}]}"""));
  }

  @Test
  void googleChatCard() throws Exception {
    factory
        .create("gchat", server.url("/v1/spaces/x").toString(), null, null, null, null)
        .post(
            "podinfo",
            "test",
            "Canary failed",
            List.of(new Field("Cluster", "prod")),
            AlertSeverity.INFO);
    assertThat(json(taken().getBody().utf8()))
        .isEqualTo(
            json(
                """
                {"cards":[{"header":{"title":"Flagger","subtitle":"podinfo.test",
                   "imageUrl":"https://flagger.app/favicon.png"},
                 "sections":[
                   {"widgets":[{"textParagraph":{"text":"<font color=#848484><strong>Canary failed</strong></font>"}}]},
                   {"widgets":[{"textParagraph":{"text":"Cluster<br><font color=#848484><strong>prod</strong></font>"}}]}]}]}"""));
  }

  @Test
  void badResponsesAreErrors() throws Exception {
    server.takeRequest(0, TimeUnit.SECONDS);
    MockWebServer failing = server;
    failing.close();
    server = new MockWebServer();
    server.start();
    server.enqueue(new MockResponse.Builder().code(404).body("no_service").build());
    Notifier n =
        factory.create("slack", server.url("/hook").toString(), null, "flagger", "general", null);
    assertThatThrownBy(() -> n.post("podinfo", "test", "m", List.of(), AlertSeverity.INFO))
        .isInstanceOf(NotifierException.class)
        .hasMessage("postMessage failed: sending notification bad response 404: no_service");
  }

  @Test
  void postsThroughTheProxy() throws Exception {
    factory
        .create(
            "msteams", "http://127.0.0.1:9/webhook", server.url("/").toString(), null, null, null)
        .post("podinfo", "test", "m", List.of(), AlertSeverity.INFO);
    RecordedRequest r = taken();
    assertThat(r.getTarget()).contains("127.0.0.1:9/webhook");
  }

  @Test
  void constructionErrors() throws Exception {
    assertThatThrownBy(() -> factory.create("slack", "http://x/h", null, "", "c", null))
        .hasMessage("empty Slack username");
    assertThatThrownBy(() -> factory.create("slack", "http://x/h", null, "u", "", null))
        .hasMessage("empty Slack channel");
    assertThatThrownBy(() -> factory.create("msteams", "not a url", null, null, null, null))
        .hasMessage("invalid MS Teams webhook URL not a url");
    assertThat(factory.create("slack", "", null, "u", "c", null)).isInstanceOf(NopNotifier.class);
  }

  @Test
  void anOversizeErrorAnswerFailsWithoutNamingTheHooksPath() throws Exception {
    GeneratedBody body = GeneratedBody.chunked(300L * 1024 * 1024);
    server.enqueue(body.response(500));
    Notifier n =
        factory.create("slack", server.url("/services/s3cr3t").toString(), null, "u", "c", null);
    // the 200 queued before each test answers a warm-up post, the huge 500 the real post
    n.post("podinfo", "test", "warm-up", List.of(), AlertSeverity.INFO);
    assertThatThrownBy(() -> n.post("podinfo", "test", "m", List.of(), AlertSeverity.INFO))
        .isInstanceOf(NotifierException.class)
        .hasMessage(
            "postMessage failed: sending notification bad response 500: response body from http://"
                + server.getHostName()
                + ":"
                + server.getPort()
                + " exceeds 1048576 bytes");
    await().atMost(java.time.Duration.ofSeconds(30)).until(body::finished);
    assertThat(body.written()).isLessThan(100L * 1024 * 1024);
  }

  @Test
  void anErrorAnswerAtTheLimitIsTheErrorText() throws Exception {
    server.enqueue(new MockResponse.Builder().code(404).body("x".repeat(64)).build());
    Notifier n =
        new NotifierFactory(java.time.Duration.ofSeconds(5), TestFactories.metrics(), 64)
            .create("gchat", server.url("/hook").toString(), null, null, null, null);
    n.post("podinfo", "test", "warm-up", List.of(), AlertSeverity.INFO);
    assertThatThrownBy(() -> n.post("podinfo", "test", "m", List.of(), AlertSeverity.INFO))
        .hasMessage("postMessage failed: sending notification bad response 404: " + "x".repeat(64));
  }

  @Test
  void aSlowHookFailsWithinTheTimeout() throws Exception {
    server.enqueue(
        new MockResponse.Builder().body("ok").headersDelay(20, TimeUnit.SECONDS).build());
    Notifier n =
        TestFactories.notifiers(java.time.Duration.ofSeconds(2))
            .create("gchat", server.url("/slow").toString(), null, null, null, null);
    // the first queued 200 answers a warm-up post, the delayed one the real post
    n.post("podinfo", "test", "warm-up", List.of(), AlertSeverity.INFO);
    long start = System.nanoTime();
    assertThatThrownBy(() -> n.post("podinfo", "test", "m", List.of(), AlertSeverity.INFO))
        .isInstanceOf(NotifierException.class)
        .hasMessageStartingWith("postMessage failed: sending notification failed:");
    assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(java.time.Duration.ofSeconds(15));
  }
}
