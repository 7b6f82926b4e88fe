package app.flagger.loadtester.task;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.webhook.CanaryWebhookPayload;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskFactoryTest {
  private static final TaskFactory SECURE =
      new TaskFactory(new CommandPolicy(false, Set.of(), false), f -> new byte[0]);
  private static final TaskFactory OPEN =
      new TaskFactory(
          new CommandPolicy(true, Set.of("curl", "helm", "kubectl"), true), f -> new byte[0]);

  private static CanaryWebhookPayload payload(Map<String, String> md) {
    return new CanaryWebhookPayload("podinfo", "test", "Progressing", "abc", md);
  }

  private static TaskRejected rejected(TaskFactory f, Map<String, String> md) {
    try {
      f.create(payload(md));
    } catch (TaskRejected e) {
      return e;
    }
    throw new AssertionError("expected a rejection for " + md);
  }

  @Test
  void heyCommandRunsNativelyAndAsynchronouslyLikeFlagger() {
    Task t =
        SECURE.create(
            payload(
                Map.of(
                    "type",
                    "cmd",
                    "cmd",
                    "hey -z 1m -q 10 -c 2 http://podinfo-canary.test:9898/")));
    assertThat(t).isInstanceOf(LoadTask.class);
    LoadTask l = (LoadTask) t;
    assertThat(l.blocking()).isFalse();
    assertThat(l.canary()).isEqualTo("podinfo.test");
    assertThat(l.spec().rate()).isEqualTo(20);
    assertThat(l.criteria().isEmpty()).isTrue();
  }

  @Test
  void typeDefaultsToCmdAndBlockingHeyCarriesCriteria() {
    LoadTask l =
        (LoadTask)
            SECURE.create(
                payload(
                    Map.of(
                        "cmd",
                        "hey -z 10s -c 2 http://podinfo-canary.test:9898/",
                        "blocking",
                        "true",
                        "maxErrorRate",
                        "1",
                        "maxP99",
                        "500ms")));
    assertThat(l.blocking()).isTrue();
    assertThat(l.criteria().maxErrorRate()).isEqualTo(1.0);
    assertThat(l.criteria().maxP99()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void loadTypeIsBlockingWithItsFields() {
    LoadTask l =
        (LoadTask)
            SECURE.create(
                payload(
                    Map.of(
                        "type",
                        "load",
                        "url",
                        "http://podinfo-canary.test:9898/api",
                        "method",
                        "POST",
                        "headers",
                        "{\"X-Canary\":\"insider\"}",
                        "duration",
                        "30s",
                        "rate",
                        "50",
                        "timeout",
                        "2s",
                        "maxErrorRate",
                        "0.5%",
                        "maxP95",
                        "200ms",
                        "minRequests",
                        "1000")));
    assertThat(l.blocking()).isTrue();
    assertThat(l.spec().openModel()).isTrue();
    assertThat(l.spec().rate()).isEqualTo(50);
    assertThat(l.spec().headers()).containsEntry("X-Canary", "insider");
    assertThat(l.spec().timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(l.criteria())
        .isEqualTo(
            new app.flagger.loadtester.load.LoadCriteria(0.5, Duration.ofMillis(200), null, 1000L));
    LoadTask closed =
        (LoadTask)
            SECURE.create(
                payload(
                    Map.of(
                        "type",
                        "load",
                        "url",
                        "http://x/",
                        "duration",
                        "1m",
                        "concurrency",
                        "4",
                        "blocking",
                        "false")));
    assertThat(closed.spec().openModel()).isFalse();
    assertThat(closed.spec().concurrency()).isEqualTo(4);
    assertThat(closed.blocking()).isFalse();
  }

  @Test
  void badInputIs400NamingTheProblem() {
    assertThat(rejected(SECURE, Map.of()))
        .hasMessage("metadata not found in payload")
        .extracting(TaskRejected::status)
        .isEqualTo(400);
    assertThat(rejected(SECURE, Map.of("type", "tester", "cmd", "x")))
        .hasMessage("unknown task type tester");
    assertThat(rejected(SECURE, Map.of("cmd", "hey -z soon http://x/")).getMessage())
        .contains("invalid value \"soon\" for flag -z");
    assertThat(rejected(SECURE, Map.of("type", "cmd")).getMessage()).contains("cmd: required");
    assertThat(rejected(SECURE, Map.of("type", "load", "duration", "1m")).getMessage())
        .startsWith("url: required");
    assertThat(rejected(SECURE, Map.of("type", "load", "url", "http://x/")).getMessage())
        .startsWith("duration: required");
    assertThat(
            rejected(
                    SECURE,
                    Map.of("type", "load", "url", "http://x/", "duration", "1m", "rate", "fast"))
                .getMessage())
        .startsWith("rate: must be a number");
    assertThat(
            rejected(
                    SECURE,
                    Map.of(
                        "type",
                        "load",
                        "url",
                        "http://x/",
                        "duration",
                        "1m",
                        "headers",
                        "{\"a\":\"b\\r\\nX: y\"}"))
                .getMessage())
        .contains("line breaks");
    assertThat(rejected(SECURE, Map.of("type", "ngrinder")).getMessage())
        .isEqualTo("server, clone, username and passwd are required metadata");
  }

  @Test
  void externalCommandsAreRefusedWithTheSettingThatEnablesThem() {
    TaskRejected wget = rejected(SECURE, Map.of("cmd", "wget -q http://podinfo-canary.test:9898/"));
    assertThat(wget.status()).isEqualTo(403);
    assertThat(wget.getMessage())
        .contains("loadtester.commands.enabled=true", "\"wget\"", "loadtester.commands.allow");
    assertThat(rejected(SECURE, Map.of("type", "bash", "cmd", "echo hi")).getMessage())
        .contains("loadtester.commands.bash.enabled=true");
    assertThat(
            rejected(SECURE, Map.of("cmd", "wget -qO- http://podinfo-canary/token | grep token"))
                .getMessage())
        .contains("shell syntax", "loadtester.commands.bash.enabled=true");
    assertThat(
            rejected(SECURE, Map.of("type", "helmv3", "cmd", "test podinfo -n test")).getMessage())
        .contains("\"helm\"");
    assertThat(rejected(OPEN, Map.of("cmd", "rm -rf /")).getMessage())
        .contains("command \"rm\" is not allowed");
  }

  @Test
  void enabledCommandsRunWithoutAShellUnlessBashIsOn() {
    CommandTask curl =
        (CommandTask)
            OPEN.create(
                payload(Map.of("cmd", "curl --retry 3 -s 'http://x/a b'", "logCmdOutput", "true")));
    assertThat(curl.argv())
        .containsExactly(
            "curl",
            "-q",
            "--proto",
            "=http,https",
            "--proto-redir",
            "=http,https",
            "--retry",
            "3",
            "-s",
            "http://x/a b");
    assertThat(curl.blocking()).isFalse();
    assertThat(curl.logOutput()).isTrue();
    CommandTask helm =
        (CommandTask)
            OPEN.create(
                payload(
                    Map.of(
                        "type",
                        "helmv3",
                        "cmd",
                        "test podinfo -n test",
                        "returnCmdOutput",
                        "true")));
    assertThat(helm.argv()).containsExactly("helm", "test", "podinfo", "-n", "test");
    assertThat(helm.blocking()).isTrue();
    assertThat(helm.returnOutput()).isTrue();
    CommandTask bash =
        (CommandTask) OPEN.create(payload(Map.of("type", "bash", "cmd", "echo a | wc -c")));
    assertThat(bash.argv()).containsExactly("bash", "-c", "echo a | wc -c");
    CommandTask shell = (CommandTask) OPEN.create(payload(Map.of("cmd", "echo a | wc -c")));
    assertThat(shell.argv()).containsExactly("sh", "-c", "echo a | wc -c");
  }

  @Test
  void refusedArgumentsOfEnabledProgramsAre400() {
    TaskRejected curl = rejected(OPEN, Map.of("cmd", "curl -s file:///etc/passwd"));
    assertThat(curl.status()).isEqualTo(400);
    assertThat(curl.getMessage())
        .endsWith(
            "as an external command: curl \"file:///etc/passwd\": only http:// and https:// URLs"
                + " are allowed");
    TaskRejected kubectl = rejected(OPEN, Map.of("type", "kubectl", "cmd", "delete ns test"));
    assertThat(kubectl.status()).isEqualTo(400);
    assertThat(kubectl.getMessage()).startsWith("kubectl delete: only read-only verbs");
    TaskRejected helm =
        rejected(OPEN, Map.of("type", "helmv3", "cmd", "upgrade x y --post-renderer /bin/sh"));
    assertThat(helm.getMessage())
        .isEqualTo("helm --post-renderer: runs a local program; not allowed");
  }

  @Test
  void curlLinesRunOnTheBuiltInToolsWithExternalCommandsDisabled() {
    String acceptance = "curl -sd 'test' http://podinfo-canary.test:9898/token | grep token";
    NativeCommandTask bash =
        (NativeCommandTask) SECURE.create(payload(Map.of("type", "bash", "cmd", acceptance)));
    assertThat(bash.blocking()).isTrue();
    assertThat(bash.logOutput()).isTrue();
    assertThat(bash.returnOutput()).isFalse();
    assertThat(bash.command()).isEqualTo(acceptance);
    assertThat(bash.pipeline().curl().url()).isEqualTo("http://podinfo-canary.test:9898/token");
    NativeCommandTask cmd =
        (NativeCommandTask)
            SECURE.create(
                payload(
                    Map.of(
                        "type",
                        "cmd",
                        "cmd",
                        "curl -s http://podinfo.test/",
                        "logCmdOutput",
                        "true")));
    assertThat(cmd.blocking()).isFalse();
    assertThat(cmd.logOutput()).isTrue();
    NativeCommandTask blocking =
        (NativeCommandTask)
            SECURE.create(
                payload(Map.of("cmd", acceptance, "blocking", "true", "returnCmdOutput", "true")));
    assertThat(blocking.blocking()).isTrue();
    assertThat(blocking.logOutput()).isFalse();
    assertThat(blocking.returnOutput()).isTrue();
  }

  /** Built in whenever it can be, so enabling bash for other tasks changes nothing here. */
  @Test
  void curlLinesRunBuiltInEvenWhenExternalCommandsAreEnabled() {
    assertThat(
            OPEN.create(
                payload(
                    Map.of(
                        "type",
                        "bash",
                        "cmd",
                        "curl -s http://podinfo.test/healthz | jq -e '.status == \"OK\"'"))))
        .isInstanceOf(NativeCommandTask.class);
  }

  @Test
  void anUnsupportedCurlLineNamesWhatIsMissingAndTheSettingForTheRealTools() {
    TaskRejected bash =
        rejected(
            SECURE,
            Map.of("type", "bash", "cmd", "curl -s http://podinfo/ | grep ok && echo done"));
    assertThat(bash.status()).isEqualTo(403);
    assertThat(bash.getMessage())
        .isEqualTo(
            "not run by the built-in curl, grep and jq: the shell operators & and && (background"
                + " jobs, command lists); as an external command: type bash needs a shell, and"
                + " shells are disabled: set loadtester.commands.bash.enabled=true (env"
                + " LOADTESTER_COMMANDS_BASH_ENABLED) to allow it");
    TaskRejected cmd = rejected(SECURE, Map.of("cmd", "curl --retry 3 http://podinfo/"));
    assertThat(cmd.status()).isEqualTo(403);
    assertThat(cmd.getMessage())
        .startsWith(
            "not run by the built-in curl, grep and jq: curl option --retry is not supported")
        .contains("; as an external command: external commands are disabled: set");
    CommandTask external =
        (CommandTask)
            OPEN.create(
                payload(Map.of("type", "bash", "cmd", "curl -s http://podinfo/ | sort | head -1")));
    assertThat(external.argv())
        .containsExactly("bash", "-c", "curl -s http://podinfo/ | sort | head -1");
  }

  @Test
  void deduplicationKeyIsCanaryPlusCommand() {
    Task a = SECURE.create(payload(Map.of("cmd", "hey -z 1m -c 2 http://x/")));
    Task b = SECURE.create(payload(Map.of("cmd", "hey -z 1m -c 2 http://x/")));
    Task other =
        SECURE.create(
            new CanaryWebhookPayload(
                "other", "test", "", "", Map.of("cmd", "hey -z 1m -c 2 http://x/")));
    assertThat(a.key()).isEqualTo(b.key()).isNotEqualTo(other.key());
  }
}
