package app.flagger.loadtester.task;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.loadtester.load.LoadGenerator;
import app.flagger.loadtester.support.StubTarget;
import app.flagger.model.webhook.CanaryWebhookPayload;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** No credential of a command line or its output reaches a log record or an outcome. */
class RedactionTest {
  private static final String SECRET = "s3cr3tValue";
  private static final Logger ROOT = Logger.getLogger("app.flagger.loadtester");

  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  /** Answers with {@code output} and {@code exit}, or throws when {@code throwing}. */
  private String output = "";

  private int exit;
  private boolean throwing;

  private final CommandExecutor commands =
      (argv, timeout, cancelled) -> {
        if (throwing) {
          throw new IllegalStateException("broke on " + String.join(" ", argv));
        }
        return new CommandExecutor.Result(exit, output, false, "");
      };

  private TaskRunner runner;

  @BeforeEach
  void capture() {
    ROOT.addHandler(capture);
    runner =
        new TaskRunner(
            new TaskExecutor(commands, new LoadGenerator(1), LoadMetrics.none()),
            Executors.newVirtualThreadPerTaskExecutor(),
            Duration.ofMinutes(1),
            4);
  }

  @AfterEach
  void release() {
    ROOT.removeHandler(capture);
    runner.close();
  }

  private static CommandTask curl() {
    String cmd =
        "curl -s -H 'Authorization: Bearer "
            + SECRET
            + "' --header 'Cookie: id="
            + SECRET
            + "' http://user:"
            + SECRET
            + "@podinfo:9898/?token="
            + SECRET;
    return new CommandTask("podinfo.test", "cmd", cmd, List.of("curl", "-s"), true, true, true);
  }

  private void assertNoSecretLogged() {
    assertThat(records).isNotEmpty();
    for (LogRecord r : records) {
      assertThat(r.getMessage()).as("log message").doesNotContain(SECRET);
    }
  }

  @Test
  void commandLinesAndOutputAreRedactedInLogsAndOutcomes() {
    output =
        "> Authorization: Bearer " + SECRET + "\n< HTTP/1.1 200 OK\n{\"token\":\"" + SECRET + "\"}";
    TaskOutcome ok = runner.runBlocking(curl());
    assertThat(ok.succeeded()).isTrue();
    assertThat(ok.output())
        .doesNotContain(SECRET)
        .contains("> Authorization: ***", "< HTTP/1.1 200 OK", "{\"token\":\"***\"}");
    assertThat(records)
        .extracting(LogRecord::getMessage)
        .anySatisfy(m -> assertThat(m).startsWith("task starting curl -s -H 'Authorization: ***'"))
        .anySatisfy(m -> assertThat(m).contains("http://***@podinfo:9898/?token=***"));
    assertNoSecretLogged();
  }

  @Test
  void failuresAreRedactedToo() {
    exit = 7;
    output = "curl: (7) Failed to connect; Cookie: id=" + SECRET;
    TaskOutcome failed = runner.runBlocking(curl());
    assertThat(failed.result()).isEqualTo(TaskOutcome.Result.FAILED);
    assertThat(failed.message()).doesNotContain(SECRET).contains("exit status 7");
    throwing = true;
    TaskOutcome broken = runner.runBlocking(curl());
    assertThat(broken.message()).doesNotContain(SECRET).contains("IllegalStateException");
    assertNoSecretLogged();
  }

  @Test
  void loadRunsAreLoggedWithoutTheirCredentials() {
    try (StubTarget target = new StubTarget(i -> 200)) {
      TaskFactory factory =
          new TaskFactory(new CommandPolicy(false, Set.of(), false), f -> new byte[0]);
      String url = target.uri("/").toString().replace("http://", "http://admin:" + SECRET + "@");
      Task hey =
          factory.create(
              new CanaryWebhookPayload(
                  "podinfo",
                  "test",
                  "",
                  "",
                  Map.of(
                      "cmd",
                      "hey -n 4 -c 1 -a admin:" + SECRET + " -H 'X-Api-Key: " + SECRET + "' " + url,
                      "blocking",
                      "true")));
      TaskOutcome o = runner.runBlocking(hey);
      assertThat(o.succeeded()).as(o.message()).isTrue();
      assertThat(records)
          .extracting(LogRecord::getMessage)
          .anySatisfy(m -> assertThat(m).startsWith("load finished hey -n 4 -c 1 -a admin:***"));
      assertNoSecretLogged();
    }
  }
}
