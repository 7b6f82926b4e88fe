package app.flagger.loadtester;

import static app.flagger.loadtester.support.GrpcTestServer.CHECK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.loadtester.support.GrpcTestServer;
import app.flagger.loadtester.support.TestServer;
import app.flagger.loadtester.support.TestServer.Reply;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Flagger's gRPC hooks through the load tester's HTTP API, with external commands disabled. */
class GrpcRoutingTest {
  private static TestServer loadtester;
  private static GrpcTestServer grpc;

  @BeforeAll
  static void start() {
    loadtester = TestServer.start(TestServer.config(Map.of()));
    grpc = GrpcTestServer.start();
  }

  @AfterAll
  static void stop() {
    loadtester.close();
    grpc.close();
  }

  /** A webhook payload as Flagger posts it, with {@code metadata} from key/value pairs. */
  private static String webhook(String name, String... metadata) {
    JsonObjectBuilder md = Json.createObjectBuilder();
    for (int i = 0; i < metadata.length; i += 2) {
      md.add(metadata[i], metadata[i + 1]);
    }
    return Json.createObjectBuilder()
        .add("name", name)
        .add("namespace", "test")
        .add("phase", "Progressing")
        .add("checksum", "7c9f5d")
        .add("metadata", md)
        .build()
        .toString();
  }

  /** Flagger's e2e pre-rollout hook: {@code type: bash}, no shell needed. */
  @Test
  void healthProbeAcceptanceTestPassesAndReturnsTheToolsOutput() {
    Reply r =
        loadtester.post(
            "/",
            webhook(
                "probe",
                "type",
                "bash",
                "cmd",
                "grpc_health_probe -connect-timeout=1s -addr=" + grpc.address(),
                "returnCmdOutput",
                "true"));
    assertThat(r).isEqualTo(new Reply(200, "status: SERVING"));
  }

  @Test
  void unhealthyServiceFailsTheHookWithTheProbesMessage() {
    String cmd = "grpc_health_probe -addr=" + grpc.address() + " -service=down";
    Reply r = loadtester.post("/", webhook("probe", "type", "bash", "cmd", cmd));
    assertThat(r)
        .isEqualTo(
            new Reply(
                500,
                "command "
                    + cmd
                    + " failed: service unhealthy (responded with \"NOT_SERVING\"): exit status 4"));
  }

  @Test
  void blockingGhzReturnsItsReport() {
    long before = grpc.calls(CHECK);
    Reply r =
        loadtester.post(
            "/",
            webhook(
                "ghz",
                "cmd",
                "ghz --insecure --call grpc.health.v1.Health/Check -d '{\"service\":\"\"}' -n 50"
                    + " -c 5 "
                    + grpc.address(),
                "blocking",
                "true",
                "returnCmdOutput",
                "true",
                "maxErrorRate",
                "0"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("  Count:\t50\n", "  [OK]   50 responses   \n");
    assertThat(grpc.calls(CHECK) - before).isEqualTo(50);
  }

  @Test
  void ghzMissingItsCriteriaIs412() {
    Reply r =
        loadtester.post(
            "/",
            webhook(
                "ghz-check",
                "cmd",
                "ghz --insecure -d '{\"service\":\"nope\"}' -n 10 -c 2 " + grpc.address(),
                "blocking",
                "true",
                "maxErrorRate",
                "5"));
    assertThat(r)
        .isEqualTo(
            new Reply(
                412,
                "load check failed for ghz-check.test: error rate 100.00% (10 of 10 failed) is above"
                    + " maxErrorRate 5%"));
  }

  /** Flagger's documented rollout hook: answered at once, load in the background. */
  @Test
  void ghzRolloutHookRunsInTheBackground() {
    long before = grpc.calls(CHECK);
    Reply r =
        loadtester.post(
            "/",
            webhook(
                "bg", "type", "cmd", "cmd", "ghz -n 30 -q 100 -c 2 --insecure " + grpc.address()));
    assertThat(r).isEqualTo(new Reply(202, ""));
    await().atMost(Duration.ofSeconds(30)).until(() -> grpc.calls(CHECK) - before >= 30);
  }

  @Test
  void badGhzOrProbeCommandLinesAre400() {
    Reply ghz = loadtester.post("/", webhook("bad", "cmd", "ghz --proto echo.proto x:1"));
    assertThat(ghz.status()).isEqualTo(400);
    assertThat(ghz.body())
        .startsWith("ghz: --proto echo.proto: .proto source files cannot be compiled");
    Reply probe = loadtester.post("/", webhook("bad", "type", "bash", "cmd", "grpc_health_probe"));
    assertThat(probe).isEqualTo(new Reply(400, "grpc_health_probe: error: -addr not specified"));
  }
}
