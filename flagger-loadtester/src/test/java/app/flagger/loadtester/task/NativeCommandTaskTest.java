package app.flagger.loadtester.task;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.loadtester.curl.CurlClient;
import app.flagger.loadtester.curl.NativePipeline;
import app.flagger.loadtester.load.LoadGenerator;
import app.flagger.loadtester.support.FakePodinfo;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A built-in curl pipeline reports exactly as the same command run by bash would: the same outcome,
 * message and log lines for the same exit status and output.
 */
class NativeCommandTaskTest {
  private static final Duration TIMEOUT = Duration.ofMinutes(1);
  private final MockWebServer podinfo = new MockWebServer();
  private final Logger log = Logger.getLogger("app.flagger.loadtester");
  private final List<String> lines = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          synchronized (lines) {
            lines.add(r.getLevel() + " " + r.getMessage());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void start() throws IOException {
    podinfo.setDispatcher(new FakePodinfo());
    podinfo.start(InetAddress.getLoopbackAddress(), 0);
    log.addHandler(capture);
  }

  @AfterEach
  void stop() {
    log.removeHandler(capture);
    podinfo.close();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + podinfo.getPort() + path;
  }

  /** The executor whose external commands answer {@code exit} and {@code output}. */
  private static TaskExecutor executor(int exit, String output) {
    CommandExecutor fake =
        (argv, timeout, cancelled) -> new CommandExecutor.Result(exit, output, false, "");
    return new TaskExecutor(
        fake,
        new LoadGenerator(1),
        LoadMetrics.none(),
        IntegrationRunner.create(),
        new CurlClient(CurlClient.ANY_DESTINATION));
  }

  private List<String> logged(Runnable r) {
    synchronized (lines) {
      lines.clear();
    }
    r.run();
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  private void reportsLikeBash(String command, int exit, String output, BooleanSupplier cancelled) {
    NativeCommandTask builtIn =
        new NativeCommandTask(
            "podinfo.test", "bash", command, NativePipeline.parse(command), true, true, true);
    CommandTask bash =
        new CommandTask(
            "podinfo.test", "bash", command, List.of("bash", "-c", command), true, true, true);
    TaskExecutor executor = executor(exit, output);
    TaskOutcome[] outcomes = new TaskOutcome[2];
    List<String> nativeLines =
        logged(() -> outcomes[0] = executor.execute(builtIn, cancelled, TIMEOUT));
    List<String> bashLines = logged(() -> outcomes[1] = executor.execute(bash, cancelled, TIMEOUT));
    assertThat(outcomes[0]).isEqualTo(outcomes[1]);
    assertThat(outcomes[0].output()).isEqualTo(Redactor.redact(output));
    assertThat(nativeLines).isEqualTo(bashLines);
  }

  @Test
  void aPassingCheckLogsItsOutputAndFinishes() {
    String cmd = "curl -sd 'test' " + url("/token") + " | grep token";
    String output = "  \"token\": \"" + FakePodinfo.TOKEN + "\",\n";
    reportsLikeBash(cmd, 0, output, () -> false);
    assertThat(
            logged(
                () ->
                    executor(0, "")
                        .execute(
                            new NativeCommandTask(
                                "podinfo.test",
                                "bash",
                                cmd,
                                NativePipeline.parse(cmd),
                                true,
                                true,
                                false),
                            () -> false,
                            TIMEOUT)))
        .containsExactly(
            Redactor.redact("INFO command output " + cmd + ":\n" + output),
            "INFO command finished " + cmd);
  }

  @Test
  void aFailingGrepFailsTheTaskWithExitStatus1() {
    String cmd = "curl -sd 'test' " + url("/status/500") + " | grep token";
    reportsLikeBash(cmd, 1, "", () -> false);
    TaskOutcome o =
        executor(0, "")
            .execute(
                new NativeCommandTask(
                    "podinfo.test", "bash", cmd, NativePipeline.parse(cmd), true, true, false),
                () -> false,
                TIMEOUT);
    assertThat(o.result()).isEqualTo(TaskOutcome.Result.FAILED);
    assertThat(o.message()).isEqualTo("command " + cmd + " failed: : exit status 1");
  }

  @Test
  void curlsErrorIsInTheMessage() {
    String cmd = "curl -sSf " + url("/status/503");
    reportsLikeBash(cmd, 22, "curl: (22) The requested URL returned error: 503\n", () -> false);
  }

  @Test
  void theTaskTimeoutIsReportedAsForAnExternalCommand() {
    String cmd = "curl -s " + url("/delay/60");
    NativeCommandTask t =
        new NativeCommandTask(
            "podinfo.test", "cmd", cmd, NativePipeline.parse(cmd), false, false, false);
    TaskOutcome o = executor(0, "").execute(t, () -> podinfo.getRequestCount() > 0, TIMEOUT);
    assertThat(o.result()).isEqualTo(TaskOutcome.Result.TIMED_OUT);
    assertThat(o.message())
        .isEqualTo("command " + cmd + " timed out or was cancelled after at most PT1M");
    assertThat(lines).contains(Level.WARNING + " " + o.message());
  }
}
