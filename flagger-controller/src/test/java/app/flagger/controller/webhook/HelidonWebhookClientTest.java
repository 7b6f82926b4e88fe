package app.flagger.controller.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Flagger's CallWebhook semantics on Helidon's WebClient. */
class HelidonWebhookClientTest {
  MockWebServer server = new MockWebServer();
  HelidonWebhookClient client = new HelidonWebhookClient(Backoff.NONE);

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  String url() {
    return server.url("/gate").toString();
  }

  @Test
  void anyStatusUpTo202PassesAndThePayloadIsPostedAsJson() throws Exception {
    server.enqueue(new MockResponse.Builder().code(202).build());
    assertThat(client.post(url(), "{\"name\":\"podinfo\"}", Duration.ofSeconds(5), 0, false))
        .isEmpty();
    var r = server.takeRequest();
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(r.getBody().utf8()).isEqualTo("{\"name\":\"podinfo\"}");
  }

  @Test
  void aRefusalFailsWithTheResponseBody() {
    server.enqueue(new MockResponse.Builder().code(403).body("Forbidden").build());
    assertThat(client.post(url(), "{}", Duration.ofSeconds(5), 3, false)).contains("Forbidden");
    assertThat(server.getRequestCount()).isOne();
  }

  @Test
  void serverErrorsAreRetriedThenGiveUpLikeRetryableHttp() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse.Builder().code(500).body("boom").build());
    }
    assertThat(client.post(url(), "{}", Duration.ofSeconds(5), 2, false))
        .contains(
            "POST "
                + url()
                + " giving up after 3 attempt(s): unexpected HTTP status 500 Internal Server Error");
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void aRetryThatSucceedsPasses() {
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    assertThat(client.post(url(), "{}", Duration.ofSeconds(5), 1, false)).isEmpty();
  }

  @Test
  void aSlowReceiverTimesOut() {
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .headersDelay(5, java.util.concurrent.TimeUnit.SECONDS)
            .build());
    assertThat(client.post(url(), "{}", Duration.ofMillis(200), 0, false))
        .get()
        .asString()
        .contains("giving up after 1 attempt(s)");
  }

  @Test
  void theBearerTokenGoesOnlyToTheListedLoadTester() throws Exception {
    try (MockWebServer other = new MockWebServer()) {
      other.start();
      String listed = "http://" + server.getHostName() + ":" + server.getPort() + "/";
      WebhookAuth auth =
          WebhookAuth.from(
              WebhookAuthTest.config(
                      java.util.Map.of(
                          "flagger.webhook-auth.token",
                          "s3cr3t",
                          "flagger.webhook-auth.urls",
                          listed))
                  .get("flagger"));
      HelidonWebhookClient authed = new HelidonWebhookClient(Backoff.NONE, auth);
      server.enqueue(new MockResponse.Builder().code(200).build());
      other.enqueue(new MockResponse.Builder().code(200).build());
      String otherUrl = other.url("/gate/approve").toString();
      // the other server listens on the same host, so only the port tells them apart
      assertThat(other.getPort()).isNotEqualTo(server.getPort());

      assertThat(authed.post(url(), "{}", Duration.ofSeconds(5), 0, false)).isEmpty();
      assertThat(authed.post(otherUrl, "{}", Duration.ofSeconds(5), 0, false)).isEmpty();

      assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer s3cr3t");
      assertThat(other.takeRequest().getHeaders().get("Authorization")).isNull();
    }
  }

  @Test
  void aTokenBearingRequestDoesNotFollowARedirectElsewhere() throws Exception {
    try (MockWebServer elsewhere = new MockWebServer()) {
      elsewhere.start();
      elsewhere.enqueue(new MockResponse.Builder().code(200).build());
      server.enqueue(
          new MockResponse.Builder()
              .code(307)
              .addHeader("Location", elsewhere.url("/steal").toString())
              .build());
      WebhookAuth auth =
          WebhookAuth.from(
              WebhookAuthTest.config(
                      java.util.Map.of(
                          "flagger.webhook-auth.token",
                          "s3cr3t",
                          "flagger.webhook-auth.urls",
                          server.getHostName()))
                  .get("flagger"));
      assertThat(
              new HelidonWebhookClient(Backoff.NONE, auth)
                  .post(url(), "{}", Duration.ofSeconds(5), 0, false))
          .isPresent();
      assertThat(server.getRequestCount()).isOne();
      assertThat(elsewhere.getRequestCount()).isZero();
    }
  }

  @Test
  void anUnreadableTokenFileFailsTheWebhookWithoutCallingIt() {
    WebhookAuth auth =
        new WebhookAuth(
            "",
            "/nonexistent/flagger/token",
            java.util.List.of(new WebhookAuth.Target("", server.getHostName(), -1, "/")));
    assertThat(
            new HelidonWebhookClient(Backoff.NONE, auth)
                .post(url(), "{}", Duration.ofSeconds(5), 2, false))
        .contains(
            "POST "
                + url()
                + ": flagger.webhook-auth.token-file: cannot read /nonexistent/flagger/token");
    assertThat(server.getRequestCount()).isZero();
  }
}
