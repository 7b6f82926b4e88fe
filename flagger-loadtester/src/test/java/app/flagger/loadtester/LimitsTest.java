package app.flagger.loadtester;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.loadtester.support.StubTarget;
import app.flagger.loadtester.support.TestServer;
import app.flagger.loadtester.support.TestServer.Reply;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The per-task timeout and the cap on running tasks, seen through the API. */
class LimitsTest {
  private static TestServer server;
  private static TestServer capped;
  private static StubTarget target;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.config(Map.of("timeout", "300ms")));
    capped = TestServer.start(TestServer.config(Map.of("max-concurrent-tasks", "1")));
    target = StubTarget.everyNthFails(1000);
  }

  @AfterAll
  static void stop() {
    server.close();
    capped.close();
    target.close();
  }

  private static String task(String name, String metadataJson) {
    return "{\"name\":\"" + name + "\",\"namespace\":\"test\",\"metadata\":" + metadataJson + "}";
  }

  @Test
  void blockingTaskPastTheTimeoutIs504() {
    String md =
        "{\"type\":\"load\",\"url\":\""
            + target.uri("/")
            + "\",\"duration\":\"1h\",\"rate\":\"20\"}";
    Reply r = server.post("/", task("slow", md));
    assertThat(r.status()).isEqualTo(504);
    assertThat(r.body()).contains("stopped after the task timeout PT0.3S");
  }

  @Test
  void tasksBeyondTheCapAre429() {
    // an async run that lasts until the server stops takes the runner's only slot
    String md = "{\"cmd\":\"hey -z 1h -q 1 -c 1 " + target.uri("/") + "\"}";
    String other = "{\"cmd\":\"hey -z 1h -q 1 -c 1 " + target.uri("/other") + "\"}";
    assertThat(capped.post("/", task("capped", md)).status()).isEqualTo(202);
    Reply second = capped.post("/", task("capped", other));
    assertThat(second.status()).isEqualTo(429);
    assertThat(second.body()).contains("loadtester.max-concurrent-tasks=1");
    String blocking = "{\"type\":\"load\",\"url\":\"" + target.uri("/") + "\",\"requests\":\"1\"}";
    assertThat(capped.post("/", task("blocked", blocking)).status()).isEqualTo(429);
    // the running one is deduplicated, not refused
    assertThat(capped.post("/", task("capped", md)).status()).isEqualTo(202);
  }
}
