package app.flagger.controller.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import app.flagger.controller.support.GeneratedBody;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

  @Test
  void anErrorBodyAtTheLimitIsTheErrorText() {
    HelidonWebhookClient limited = new HelidonWebhookClient(Backoff.NONE, WebhookAuth.NONE, 1024);
    server.enqueue(new MockResponse.Builder().code(403).body("x".repeat(1024)).build());
    assertThat(limited.post(url(), "{}", Duration.ofSeconds(5), 0, false))
        .contains("x".repeat(1024));
  }

  @Test
  void anErrorBodyOneByteOverTheLimitFailsNamingTheLimit() {
    HelidonWebhookClient limited = new HelidonWebhookClient(Backoff.NONE, WebhookAuth.NONE, 1024);
    server.enqueue(new MockResponse.Builder().code(403).body("x".repeat(1025)).build());
    assertThat(limited.post(url(), "{}", Duration.ofSeconds(5), 0, false))
        .contains("403 Forbidden: response body from " + url() + " exceeds 1024 bytes");
  }

  @Test
  void aChunkedErrorBodyOverTheDefaultLimitFailsAndIsNotReadToTheEnd() {
    GeneratedBody body = GeneratedBody.chunked(300L * 1024 * 1024);
    server.enqueue(body.response(400));
    assertThat(client.post(url(), "{}", Duration.ofSeconds(30), 0, false))
        .contains("400 Bad Request: response body from " + url() + " exceeds 1048576 bytes");
    await().atMost(Duration.ofSeconds(30)).until(body::finished);
    assertThat(body.written()).isLessThan(100L * 1024 * 1024);
  }

  @Test
  void aDeclaredErrorBodyOverTheLimitFailsBeforeItIsRead() {
    GeneratedBody body = GeneratedBody.declared(300L * 1024 * 1024);
    server.enqueue(body.response(422));
    assertThat(client.post(url(), "{}", Duration.ofSeconds(30), 0, false))
        .get()
        .asString()
        .endsWith("response body from " + url() + " exceeds 1048576 bytes");
    await().atMost(Duration.ofSeconds(30)).until(body::finished);
    assertThat(body.written()).isLessThan(100L * 1024 * 1024);
  }

  @Test
  void aServerErrorWithAHugeBodyIsRetriedWithoutReadingIt() {
    GeneratedBody first = GeneratedBody.chunked(300L * 1024 * 1024);
    GeneratedBody second = GeneratedBody.chunked(300L * 1024 * 1024);
    server.enqueue(first.response(500));
    server.enqueue(second.response(500));
    assertThat(client.post(url(), "{}", Duration.ofSeconds(30), 1, false))
        .contains(
            "POST "
                + url()
                + " giving up after 2 attempt(s): unexpected HTTP status 500 Internal Server Error");
    await().atMost(Duration.ofSeconds(30)).until(() -> first.finished() && second.finished());
    assertThat(first.written() + second.written()).isLessThan(100L * 1024 * 1024);
  }

  /** The timeout covers reading: an error body sent a byte at a time fails at the deadline. */
  @Test
  void anErrorBodyTricklingInFailsAtTheDeadline() {
    // 300 bytes at 10 per second: 30 s to send, each read well within the 1 s timeout
    server.enqueue(
        new MockResponse.Builder()
            .code(403)
            .body("x".repeat(300))
            .throttleBody(1, 100, TimeUnit.MILLISECONDS)
            .build());
    String error =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () -> client.post(url(), "{}", Duration.ofSeconds(1), 3, false).orElseThrow());
    assertThat(error).isEqualTo("error reading body: deadline of 1s exceeded");
    assertThat(server.getRequestCount()).as("a started answer is not retried").isOne();
  }

  /**
   * The timeout covers the wait for the headers: a server that trickles them fails at the deadline,
   * and each retry gets a deadline of its own.
   */
  @Test
  void headersTricklingInFailEachAttemptAtItsDeadline() throws Exception {
    try (TricklingServer trickle = new TricklingServer()) {
      String hook = "http://127.0.0.1:" + trickle.port() + "/gate";
      String error =
          assertTimeoutPreemptively(
              Duration.ofSeconds(30),
              () -> client.post(hook, "{}", Duration.ofSeconds(1), 1, false).orElseThrow());
      assertThat(error)
          .isEqualTo(
              "POST "
                  + hook
                  + " giving up after 2 attempt(s): deadline of 1s exceeded while awaiting the"
                  + " response");
      await().atMost(Duration.ofSeconds(30)).until(() -> trickle.connections.get() == 2);
    }
  }

  /**
   * Accepts connections and answers each with a status line, then one header byte every 100 ms for
   * a minute, so no single read ever times out.
   */
  static final class TricklingServer implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0);
    final AtomicInteger connections = new AtomicInteger();
    final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();

    TricklingServer() throws IOException {
      Thread.ofVirtual().start(this::accept);
    }

    int port() {
      return socket.getLocalPort();
    }

    private void accept() {
      while (!socket.isClosed()) {
        try {
          Socket s = socket.accept();
          connections.incrementAndGet();
          OutputStream out = s.getOutputStream();
          out.write("HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          AtomicInteger sent = new AtomicInteger();
          ticks.scheduleAtFixedRate(
              () -> {
                try {
                  if (sent.incrementAndGet() > 600) {
                    throw new IOException("done");
                  }
                  out.write('x');
                  out.flush();
                } catch (IOException e) {
                  closeQuietly(s);
                  throw new IllegalStateException(e); // ends this schedule
                }
              },
              100,
              100,
              TimeUnit.MILLISECONDS);
        } catch (IOException e) {
          return;
        }
      }
    }

    private static void closeQuietly(Socket s) {
      try {
        s.close();
      } catch (IOException e) {
        // already gone
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
      ticks.shutdownNow();
    }
  }
}
