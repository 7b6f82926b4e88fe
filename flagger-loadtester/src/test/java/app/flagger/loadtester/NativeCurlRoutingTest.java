package app.flagger.loadtester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.loadtester.support.FakePodinfo;
import app.flagger.loadtester.support.TestServer;
import app.flagger.loadtester.support.TestServer.Reply;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Flagger's acceptance-test webhooks through the load tester's API with the shipped defaults
 * (external commands and shells disabled): the built-in curl, grep and jq answer them.
 */
class NativeCurlRoutingTest {
  private static TestServer server;
  private static MockWebServer podinfo;

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.start(TestServer.config(Map.of()));
    podinfo = new MockWebServer();
    podinfo.setDispatcher(new FakePodinfo());
    podinfo.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterAll
  static void stop() {
    server.close();
    podinfo.close();
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + podinfo.getPort() + path;
  }

  /** The payload as Flagger's pre-rollout webhook posts it. */
  private static String webhook(String metadataJson) {
    return "{\"name\":\"podinfo\",\"namespace\":\"test\",\"phase\":\"Progressing\","
        + "\"checksum\":\"5d8f7b6c9d\",\"metadata\":"
        + metadataJson
        + "}";
  }

  private static String bash(String cmd) {
    return webhook("{\"type\":\"bash\",\"cmd\":\"" + cmd.replace("\"", "\\\"") + "\"}");
  }

  @Test
  void acceptanceTestPassesWithTheShippedDefaults() {
    Reply r = server.post("/", bash("curl -sd 'test' " + url("/token") + " | grep token"));
    assertThat(r).isEqualTo(new Reply(200, ""));
  }

  @Test
  void aGrepThatDoesNotMatchFailsTheWebhook() {
    String cmd = "curl -sd 'test' " + url("/status/500") + " | grep token";
    Reply r = server.post("/", bash(cmd));
    assertThat(r).isEqualTo(new Reply(500, "command " + cmd + " failed: : exit status 1"));
  }

  @Test
  void returnCmdOutputAnswersWithWhatTheCommandPrinted() {
    String md =
        "{\"type\":\"bash\",\"cmd\":\"curl -s "
            + url("/healthz")
            + " | jq -r .status\",\"returnCmdOutput\":\"true\"}";
    assertThat(server.post("/", webhook(md))).isEqualTo(new Reply(200, "OK\n"));
    String failing =
        "{\"type\":\"bash\",\"cmd\":\"curl -sSf "
            + url("/status/503")
            + "\",\"returnCmdOutput\":\"true\"}";
    Reply r = server.post("/", webhook(failing));
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.body())
        .endsWith("failed: curl: (22) The requested URL returned error: 503: exit status 22");
  }

  @Test
  void aCmdTaskRunsInTheBackground() {
    int before = podinfo.getRequestCount();
    String md = "{\"type\":\"cmd\",\"cmd\":\"curl -s " + url("/") + "\",\"logCmdOutput\":\"true\"}";
    assertThat(server.post("/", webhook(md))).isEqualTo(new Reply(202, ""));
    await().atMost(Duration.ofSeconds(30)).until(() -> podinfo.getRequestCount() > before);
  }

  @Test
  void anUnsupportedLineIsRefusedNamingWhatIsMissing() {
    Reply r = server.post("/", bash("curl -s " + url("/") + " > /tmp/out"));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body())
        .isEqualTo(
            "not run by the built-in curl, grep and jq: the redirection > (only curl's own -o"
                + " /dev/null is supported); as an external command: type bash needs a shell, and"
                + " shells are disabled: set loadtester.commands.bash.enabled=true (env"
                + " LOADTESTER_COMMANDS_BASH_ENABLED) to allow it");
  }
}
