package app.flagger.loadtester.curl;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.loadtester.support.FakePodinfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each curl option against a local server: the request sent, the output, the exit code. */
class CurlClientTest {
  private final MockWebServer server = new MockWebServer();
  private final CurlClient client = new CurlClient(CurlClient.ANY_DESTINATION);

  @BeforeEach
  void start() throws IOException {
    server.setDispatcher(new FakePodinfo());
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getPort() + path;
  }

  private NativePipeline.Result curl(String args) {
    return curl(client, args);
  }

  private NativePipeline.Result curl(CurlClient c, String args) {
    return NativePipeline.parse("curl " + args.replace("URL", url(""))).run(c, () -> false);
  }

  private RecordedRequest taken() {
    return takeFrom(server);
  }

  @Test
  void sendsWhatCurlSendsAndWritesTheBody() {
    NativePipeline.Result r = curl("-s URL/healthz");
    assertThat(r).isEqualTo(new NativePipeline.Result(0, "{\n  \"status\": \"OK\"\n}", false));
    RecordedRequest req = taken();
    assertThat(req.getRequestLine()).isEqualTo("GET /healthz HTTP/1.1");
    assertThat(req.getHeaders().get("Host")).isEqualTo("127.0.0.1:" + server.getPort());
    assertThat(req.getHeaders().get("User-Agent")).isEqualTo(CurlClient.USER_AGENT);
    assertThat(req.getHeaders().get("Accept")).isEqualTo("*/*");
    assertThat(req.getHeaders().names()).containsExactlyInAnyOrder("Host", "User-Agent", "Accept");
  }

  @Test
  void urlWithoutSchemeOrPathIsHttpAndSlash() {
    NativePipeline.Result r =
        NativePipeline.parse("curl -s 127.0.0.1:" + server.getPort()).run(client, () -> false);
    assertThat(r.exitCode()).isZero();
    assertThat(taken().getRequestLine()).isEqualTo("GET / HTTP/1.1");
  }

  @Test
  void dataIsAFormPost() {
    assertThat(curl("-sd 'test' URL/echo").output()).isEqualTo("test");
    RecordedRequest req = taken();
    assertThat(req.getMethod()).isEqualTo("POST");
    assertThat(req.getHeaders().get("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(req.getHeaders().get("Content-Length")).isEqualTo("4");
    assertThat(curl("-s -d a=1 --data b=2 --data-raw @c --data-binary d URL/echo").output())
        .isEqualTo("a=1&b=2&@c&d");
  }

  @Test
  void jsonSetsBothHeaders() {
    assertThat(curl("-s --json '{\"a\":1}' URL/echo").output()).isEqualTo("{\"a\":1}");
    RecordedRequest req = taken();
    assertThat(req.getHeaders().get("Content-Type")).isEqualTo("application/json");
    assertThat(req.getHeaders().get("Accept")).isEqualTo("application/json");
  }

  @Test
  void headersAreAddedReplacedAndRemoved() {
    curl(
        "-sH 'X-Canary: insider' -H 'Host: app.example.com' -H 'Accept:' -A probe/1"
            + " -b 'canary=always' -e http://from/ -u 'admin:s3cret' -H 'X-Empty;' URL/");
    RecordedRequest req = taken();
    assertThat(req.getHeaders().get("X-Canary")).isEqualTo("insider");
    assertThat(req.getHeaders().get("Host")).isEqualTo("app.example.com");
    assertThat(req.getHeaders().get("Accept")).isNull();
    assertThat(req.getHeaders().get("User-Agent")).isEqualTo("probe/1");
    assertThat(req.getHeaders().get("Cookie")).isEqualTo("canary=always");
    assertThat(req.getHeaders().get("Referer")).isEqualTo("http://from/");
    assertThat(req.getHeaders().get("Authorization")).isEqualTo("Basic YWRtaW46czNjcmV0");
    assertThat(req.getHeaders().get("X-Empty")).isEmpty();
  }

  @Test
  void requestMethodGetAndHead() {
    assertThat(curl("-s -X PUT -d x URL/echo").output()).isEqualTo("x");
    assertThat(taken().getMethod()).isEqualTo("PUT");
    curl("-s -XDELETE URL/echo");
    RecordedRequest delete = taken();
    assertThat(delete.getMethod()).isEqualTo("DELETE");
    assertThat(delete.getHeaders().get("Content-Length")).isNull();
    curl("-sG -d a=1 -d b=2 URL/echo");
    assertThat(taken().getRequestLine()).isEqualTo("GET /echo?a=1&b=2 HTTP/1.1");
    NativePipeline.Result head = curl("-sI URL/healthz");
    assertThat(taken().getMethod()).isEqualTo("HEAD");
    assertThat(head.output())
        .startsWith("HTTP/1.1 200 OK\r\n")
        .contains("Content-Type: application/json; charset=utf-8\r\n")
        .endsWith("\r\n\r\n");
  }

  @Test
  void failIsExit22WithCurlsMessageUnlessSilent() {
    assertThat(curl("-sf URL/status/500")).isEqualTo(new NativePipeline.Result(22, "", false));
    String error = "curl: (22) The requested URL returned error: 500\n";
    assertThat(curl("-f URL/status/500").output()).isEqualTo(error);
    assertThat(curl("-sSf URL/status/500").output()).isEqualTo(error);
    assertThat(curl("--silent --show-error --fail URL/status/500").output()).isEqualTo(error);
    assertThat(curl("-s --fail-with-body URL/status/503"))
        .isEqualTo(new NativePipeline.Result(22, "{\n  \"status\": 503\n}", false));
    assertThat(curl("-s URL/status/500"))
        .isEqualTo(new NativePipeline.Result(0, "{\n  \"status\": 500\n}", false));
    assertThat(curl("-sf URL/status/404").exitCode()).isEqualTo(22);
    assertThat(curl("-sf URL/status/399").exitCode()).isZero();
  }

  @Test
  void writeOutReplacesBodyWithDevNull() {
    assertThat(curl("-s -o /dev/null -w '%{http_code}' URL/healthz").output()).isEqualTo("200");
    assertThat(curl("-so /dev/null -w '%{http_code}\\n' URL/status/503").output())
        .isEqualTo("503\n");
    assertThat(curl("-sf -o /dev/null -w '%{http_code}' URL/status/500"))
        .isEqualTo(new NativePipeline.Result(22, "500", false));
    assertThat(curl("-s -w '\\t%{response_code} %%' URL/status/201").output())
        .isEqualTo("{\n  \"status\": 201\n}\t201 %");
    assertThat(
            curl("-s -o /dev/null -w '%{content_type}|%header{content-type}|%{size_download}"
                    + "|%{num_redirects}|%{http_version}|%{method}|%{exitcode}' URL/healthz")
                .output())
        .isEqualTo(
            "application/json; charset=utf-8|application/json; charset=utf-8|20|0|1.1|GET|0");
    assertThat(curl("-s -o /dev/null -w '%{url_effective} %{remote_ip}' URL/healthz").output())
        .isEqualTo(url("/healthz") + " 127.0.0.1");
    assertThat(curl("-s -o /dev/null -w '%{time_total} %{time_connect}' URL/").output())
        .matches("\\d+\\.\\d{6} \\d+\\.\\d{6}");
  }

  @Test
  void includeWritesTheHeadersFirst() {
    String out = curl("-si URL/healthz").output();
    assertThat(out)
        .startsWith("HTTP/1.1 200 OK\r\n")
        .contains("Content-Type: application/json; charset=utf-8\r\n")
        .endsWith("\r\n\r\n{\n  \"status\": \"OK\"\n}");
  }

  @Test
  void redirectsAreFollowedOnlyWithLocation() {
    assertThat(curl("-s URL/redirect/1").output()).isEqualTo("moved");
    assertThat(curl("-sL -w ' %{num_redirects} %{url_effective}' URL/redirect/3").output())
        .isEqualTo("{\n  \"status\": \"OK\"\n} 3 " + url("/healthz"));
    assertThat(curl("-sSL --max-redirs 1 URL/redirect/3"))
        .isEqualTo(
            new NativePipeline.Result(47, "curl: (47) Maximum (1) redirects followed\n", false));
  }

  @Test
  void postThroughA302BecomesAGet() throws IOException {
    try (MockWebServer s = new MockWebServer()) {
      s.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/there").build());
      s.enqueue(new MockResponse.Builder().body("arrived").build());
      s.start(InetAddress.getLoopbackAddress(), 0);
      String u = "http://127.0.0.1:" + s.getPort() + "/here";
      NativePipeline.Result r = NativePipeline.parse("curl -sL -d x " + u).run(client, () -> false);
      assertThat(r.output()).isEqualTo("arrived");
      assertThat(takeFrom(s).getMethod()).isEqualTo("POST");
      RecordedRequest second = takeFrom(s);
      assertThat(second.getRequestLine()).isEqualTo("GET /there HTTP/1.1");
      assertThat(second.getHeaders().get("Content-Length")).isNull();
    }
  }

  private static RecordedRequest takeFrom(MockWebServer s) {
    try {
      return s.takeRequest(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void maxTimeIsExit28() {
    assertThat(curl("-s -m 0.2 URL/delay/30")).isEqualTo(new NativePipeline.Result(28, "", false));
    NativePipeline.Result r = curl("-sS --max-time 0.2 -w '%{http_code}' URL/delay/30");
    assertThat(r.exitCode()).isEqualTo(28);
    assertThat(r.output())
        .matches(
            "curl: \\(28\\) Operation timed out after \\d+ milliseconds with 0 bytes received\n000");
  }

  @Test
  void connectionRefusedIsExit7() {
    int port = freePort();
    NativePipeline.Result r =
        NativePipeline.parse("curl -sS -w '%{http_code}' http://127.0.0.1:" + port + "/")
            .run(client, () -> false);
    assertThat(r.exitCode()).isEqualTo(7);
    assertThat(r.output())
        .matches(
            "curl: \\(7\\) Failed to connect to 127.0.0.1 port "
                + port
                + " after \\d+ ms: Couldn't connect to server\n000");
    assertThat(
            NativePipeline.parse("curl -s http://127.0.0.1:" + port + "/").run(client, () -> false))
        .isEqualTo(new NativePipeline.Result(7, "", false));
  }

  @Test
  void unknownHostIsExit6() {
    CurlClient offline =
        new CurlClient(
            (host, port) -> {
              throw new UnknownHostException(host);
            });
    NativePipeline.Result r =
        NativePipeline.parse("curl -S http://podinfo-canary.test:9898/").run(offline, () -> false);
    assertThat(r)
        .isEqualTo(
            new NativePipeline.Result(
                6, "curl: (6) Could not resolve host: podinfo-canary.test\n", false));
  }

  @Test
  void refusedDestinationIsExit7AndShownEvenWhenSilent() {
    CurlClient guarded =
        new CurlClient(
            (host, port) -> {
              throw new IllegalArgumentException(
                  "destination " + host + " refused: it is a cloud metadata endpoint");
            });
    NativePipeline.Result r =
        NativePipeline.parse("curl -s http://169.254.169.254/latest/meta-data/")
            .run(guarded, () -> false);
    assertThat(r)
        .isEqualTo(
            new NativePipeline.Result(
                7,
                "curl: (7) Failed to connect to 169.254.169.254 port 80: destination"
                    + " 169.254.169.254 refused: it is a cloud metadata endpoint\n",
                false));
  }

  @Test
  void brokenAnswersHaveCurlsExitCodes() {
    server.setDispatcher(new mockwebserver3.QueueDispatcher());
    server.enqueue(
        new MockResponse.Builder()
            .onResponseStart(SocketEffect.ShutdownConnection.INSTANCE)
            .build());
    assertThat(curl("-sS URL/").output()).isEqualTo("curl: (52) Empty reply from server\n");
    try (CannedServer short_ =
            new CannedServer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
        CannedServer old = new CannedServer("hello\n");
        CannedServer chunked =
            new CannedServer(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6;x=y\r\n world\r\n0\r\nTrailer: t\r\n\r\n")) {
      NativePipeline.Result s =
          NativePipeline.parse("curl -sS " + short_.url("/")).run(client, () -> false);
      assertThat(s)
          .isEqualTo(
              new NativePipeline.Result(
                  18, "abccurl: (18) transfer closed with 7 bytes remaining to read\n", false));
      assertThat(NativePipeline.parse("curl -sS " + old.url("/")).run(client, () -> false))
          .isEqualTo(
              new NativePipeline.Result(
                  1, "curl: (1) Received HTTP/0.9 when not allowed\n", false));
      assertThat(
              NativePipeline.parse("curl -s -w ' %{size_download}' " + chunked.url("/"))
                  .run(client, () -> false))
          .isEqualTo(new NativePipeline.Result(0, "hello world 11", false));
    }
  }

  @Test
  void aBodyOverTheLimitIsExit23UnlessDiscarded() {
    server.setDispatcher(new mockwebserver3.QueueDispatcher());
    Buffer big = new Buffer().write(new byte[CurlClient.MAX_BODY + 1]);
    server.enqueue(new MockResponse.Builder().body(big.clone()).build());
    server.enqueue(new MockResponse.Builder().body(big).build());
    NativePipeline.Result kept = curl("-s URL/");
    assertThat(kept.exitCode()).isEqualTo(23);
    String tail = kept.output().substring(kept.output().length() - 300);
    assertThat(tail).contains("curl: (23) Failure writing output", "-o /dev/null");
    assertThat(kept.output().contains(" bytes left out) ...\n")).isTrue();
    assertThat(kept.output().length()).isLessThan(NativePipeline.MAX_OUTPUT + 1000);
    assertThat(curl("-s -o /dev/null -w '%{size_download}' URL/").output())
        .isEqualTo(Integer.toString(CurlClient.MAX_BODY + 1));
  }

  @Test
  void theTaskTimeoutStopsAWaitingRequest() {
    NativePipeline.Result r =
        NativePipeline.parse("curl -s " + url("/delay/60"))
            .run(client, () -> server.getRequestCount() > 0);
    assertThat(r.timedOut()).isTrue();
    assertThat(r.exitCode()).isEqualTo(-1);
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
