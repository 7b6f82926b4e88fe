package app.flagger.loadtester.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.loadtester.grpc.GhzRunner;
import app.flagger.loadtester.support.GrpcTestServer;
import app.flagger.model.webhook.CanaryWebhookPayload;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ghz and grpc_health_probe webhooks become built-in tasks, and their outcomes fail steps. */
class GrpcTasksTest {
  private static final TaskFactory SECURE =
      new TaskFactory(new CommandPolicy(false, Set.of(), false), f -> new byte[0]);
  private static final GrpcTasks RUNNER = new GrpcTasks(new GhzRunner());

  private static Task create(Map<String, String> md) {
    return SECURE.create(new CanaryWebhookPayload("podinfo", "test", "Progressing", "abc", md));
  }

  @Test
  void ghzCommandRunsBuiltInAsynchronouslyLikeFlagger() {
    Task t =
        create(Map.of("type", "cmd", "cmd", "ghz -z 1m -q 10 -c 2 --insecure podinfo.test:9898"));
    assertThat(t).isInstanceOf(GhzTask.class);
    assertThat(t.blocking()).isFalse();
    assertThat(((GhzTask) t).criteria().isEmpty()).isTrue();
    assertThat(t.key())
        .isEqualTo("podinfo.test\nghz -z 1m -q 10 -c 2 --insecure podinfo.test:9898");
  }

  @Test
  void healthProbeRunsBuiltInAsCmdOrBash() {
    String probe = "grpc_health_probe -connect-timeout=1s -addr=podinfo-canary:9999";
    Task bash = create(Map.of("type", "bash", "cmd", probe));
    assertThat(bash).isInstanceOf(HealthProbeTask.class);
    assertThat(bash.blocking()).isTrue();
    assertThat(((HealthProbeTask) bash).logOutput()).isTrue();
    Task cmd = create(Map.of("cmd", "/usr/local/bin/" + probe, "blocking", "true"));
    assertThat(cmd).isInstanceOf(HealthProbeTask.class);
    assertThat(cmd.blocking()).isTrue();
  }

  @Test
  void shellSyntaxOrBadFlagsAreNotRunBuiltIn() {
    assertThatThrownBy(() -> create(Map.of("cmd", "grpc_health_probe -addr=x:1 && echo ok")))
        .isInstanceOf(TaskRejected.class)
        .satisfies(e -> assertThat(((TaskRejected) e).status()).isEqualTo(403));
    assertThatThrownBy(() -> create(Map.of("cmd", "grpc_health_probe -connect-timeout=1s")))
        .isInstanceOf(TaskRejected.class)
        .hasMessage("grpc_health_probe: error: -addr not specified");
    assertThatThrownBy(() -> create(Map.of("cmd", "ghz -c 5000 -z 1m --insecure x:1")))
        .isInstanceOf(TaskRejected.class)
        .hasMessage("ghz: --concurrency 5000 is over the limit of 1000");
  }

  @Test
  void ghzRunMissingItsCriteriaFailsTheCheck() {
    try (GrpcTestServer server = GrpcTestServer.start()) {
      server.failCalls(n -> n % 2 == 0);
      Map<String, String> md = new HashMap<>();
      md.put("cmd", "ghz --insecure -n 40 -c 2 " + server.address());
      md.put("blocking", "true");
      md.put("maxErrorRate", "1");
      md.put("minRequests", "40");
      GhzTask t = (GhzTask) create(md);
      TaskOutcome o = RUNNER.ghz(t, () -> false, Duration.ofMinutes(1));
      assertThat(o.result()).isEqualTo(TaskOutcome.Result.CHECK_FAILED);
      assertThat(o.message())
          .isEqualTo(
              "load check failed for podinfo.test: error rate 50.00% (20 of 40 failed) is above"
                  + " maxErrorRate 1%");
      assertThat(o.output()).contains("  [OK]            20 responses", "[Unavailable]");

      server.failCalls(n -> false);
      TaskOutcome passing = RUNNER.ghz(t, () -> false, Duration.ofMinutes(1));
      assertThat(passing.result()).isEqualTo(TaskOutcome.Result.SUCCEEDED);
    }
  }

  @Test
  void ghzThatCannotStartFailsWithTheReason() {
    GhzTask t =
        (GhzTask) create(Map.of("cmd", "ghz --insecure --call x.Y/Z -n 1 -c 1 127.0.0.1:1"));
    TaskOutcome o = RUNNER.ghz(t, () -> false, Duration.ofMinutes(1));
    assertThat(o.result()).isEqualTo(TaskOutcome.Result.FAILED);
    assertThat(o.message())
        .startsWith(
            "command ghz --insecure --call x.Y/Z -n 1 -c 1 127.0.0.1:1 failed: ghz: server reflection failed");
  }

  @Test
  void unhealthyProbeFailsWithTheToolsMessageAndExitStatus() {
    try (GrpcTestServer server = GrpcTestServer.start()) {
      String cmd = "grpc_health_probe -addr=" + server.address() + " -service=down";
      TaskOutcome o = RUNNER.probe((HealthProbeTask) create(Map.of("type", "bash", "cmd", cmd)));
      assertThat(o.result()).isEqualTo(TaskOutcome.Result.FAILED);
      assertThat(o.message())
          .isEqualTo(
              "command "
                  + cmd
                  + " failed: service unhealthy (responded with \"NOT_SERVING\"): exit status 4");
    }
  }
}
