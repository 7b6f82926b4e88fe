package app.flagger.loadtester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.loadtester.load.LoadGenerator;
import app.flagger.loadtester.load.LoadLimits;
import app.flagger.loadtester.support.StubTarget;
import app.flagger.loadtester.support.TestServer;
import app.flagger.loadtester.support.TestServer.Reply;
import app.flagger.loadtester.task.LoadMetrics;
import app.flagger.loadtester.task.LoadTask;
import app.flagger.loadtester.task.TaskExecutor;
import app.flagger.loadtester.task.TaskRejected;
import app.flagger.loadtester.task.TaskRunner;
import app.flagger.model.webhook.CanaryWebhookPayload;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-task timeout, the cap on running tasks, configured load limits, the connection budget and
 * the body size limit, seen through the API.
 */
class LimitsTest {
  private static TestServer server;
  private static TestServer capped;
  private static TestServer limited;
  private static TestServer budget;
  private static StubTarget target;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.config(Map.of("timeout", "300ms")));
    capped = TestServer.start(TestServer.config(Map.of("max-concurrent-tasks", "1")));
    limited =
        TestServer.start(
            TestServer.config(
                Map.of(
                    "limits.max-connections", "3",
                    "limits.max-rate", "50",
                    "limits.max-duration", "10m",
                    "limits.max-requests", "100")));
    budget =
        TestServer.start(
            TestServer.config(
                Map.of("limits.max-connections", "3", "limits.connection-budget", "4")));
    target = StubTarget.everyNthFails(1000);
  }

  @AfterAll
  static void stop() {
    server.close();
    capped.close();
    limited.close();
    budget.close();
    target.close();
  }

  private static String task(String name, String metadataJson) {
    return "{\"name\":\"" + name + "\",\"namespace\":\"test\",\"metadata\":" + metadataJson + "}";
  }

  /** A blocking {@code type: load} task for {@code url} with more {@code fields} (JSON members). */
  private static String load(String url, String fields) {
    return task("limited", "{\"type\":\"load\",\"url\":\"" + url + "\"," + fields + "}");
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

  @Test
  void configuredLimitsAnswer400NamingFlagAndLimit() {
    String url = target.uri("/").toString();
    Reply c = limited.post("/", task("limited", "{\"cmd\":\"hey -z 1m -c 4 " + url + "\"}"));
    assertThat(c)
        .isEqualTo(
            new Reply(400, "hey -c 4: at most 3 connections (loadtester limit max-connections)"));
    Reply q = limited.post("/", task("limited", "{\"cmd\":\"hey -z 1m -q 17 -c 3 " + url + "\"}"));
    assertThat(q.status()).isEqualTo(400);
    assertThat(q.body()).endsWith("at most 50 requests per second (loadtester limit max-rate)");
    Reply z = limited.post("/", task("limited", "{\"cmd\":\"hey -z 11m -c 1 " + url + "\"}"));
    assertThat(z)
        .isEqualTo(new Reply(400, "hey -z 11m: at most 10m (loadtester limit max-duration)"));
    Reply n = limited.post("/", load(url, "\"requests\":\"101\",\"concurrency\":\"1\""));
    assertThat(n)
        .isEqualTo(
            new Reply(400, "requests 101: at most 100 requests (loadtester limit max-requests)"));
    // at the bounds: accepted and run
    Reply ok =
        limited.post("/", load(url, "\"requests\":\"100\",\"concurrency\":\"3\",\"rate\":\"50\""));
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
  }

  @Test
  void connectionsBeyondTheBudgetAre429UntilTheyAreFree() {
    String url = target.uri("/budget").toString();
    // an async run that lasts until the server stops holds 3 of the 4 connections
    String holding = "{\"cmd\":\"hey -z 5m -q 1 -c 3 " + url + "\"}";
    assertThat(budget.post("/", task("holder", holding)).status()).isEqualTo(202);
    Reply over = budget.post("/", task("other", "{\"cmd\":\"hey -z 5m -q 1 -c 2 " + url + "\"}"));
    assertThat(over)
        .isEqualTo(
            new Reply(
                429,
                "connection budget exhausted: running tasks hold 3 of 4 connections and this one"
                    + " needs 2 (loadtester limit connection-budget); try again later"));
    // one connection is still free
    String one =
        "{\"type\":\"load\",\"url\":\"" + url + "\",\"requests\":\"5\",\"concurrency\":\"1\"}";
    assertThat(budget.post("/", task("fits", one)).status()).isEqualTo(200);
  }

  /** A budget lowered below max-connections to fit a small heap refuses bigger tasks for good. */
  @Test
  void aTaskLargerThanTheWholeBudgetIs400() {
    TaskRunner small =
        new TaskRunner(
            new TaskExecutor(
                (argv, timeout, cancelled) -> null, new LoadGenerator(1), LoadMetrics.none()),
            Executors.newVirtualThreadPerTaskExecutor(),
            Duration.ofMinutes(1),
            4,
            Main.connectionBudget(
                new LoadLimits(1000, 10_000, Duration.ofHours(1), 10, 4000), 2L << 20));
    try (small) {
      LoadTask big =
          (LoadTask)
              Main.factory(TestServer.config(Map.of()), () -> -1)
                  .create(
                      new CanaryWebhookPayload(
                          "podinfo",
                          "test",
                          "",
                          "",
                          Map.of("cmd", "hey -z 1m -c 40 " + target.uri("/"))));
      assertThatThrownBy(() -> small.submit(big))
          .isInstanceOf(TaskRejected.class)
          .hasMessage(
              "the task needs 40 connections, more than the whole connection budget of 32"
                  + " (loadtester limit connection-budget)");
    }
  }
}
