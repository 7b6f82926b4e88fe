package app.flagger.loadtester.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessCommandExecutorTest {
  private final ProcessCommandExecutor executor = new ProcessCommandExecutor();

  @Test
  void capturesOutputAndExitStatus() {
    CommandExecutor.Result ok =
        executor.run(List.of("echo", "hello; not a shell"), Duration.ofMinutes(1), () -> false);
    assertThat(ok.ok()).isTrue();
    assertThat(ok.output()).isEqualTo("hello; not a shell\n");
    CommandExecutor.Result failed =
        executor.run(List.of("false"), Duration.ofMinutes(1), () -> false);
    assertThat(failed.ok()).isFalse();
    assertThat(failed.exitCode()).isEqualTo(1);
  }

  @Test
  void killsTheProgramAtTheTimeout() {
    CommandExecutor.Result r =
        executor.run(List.of("sleep", "60"), Duration.ofMillis(200), () -> false);
    assertThat(r.timedOut()).isTrue();
  }

  @Test
  void reportsProgramsThatCannotStart() {
    CommandExecutor.Result r =
        executor.run(List.of("no-such-program-xyz"), Duration.ofMinutes(1), () -> false);
    assertThat(r.ok()).isFalse();
    assertThat(r.error()).contains("cannot start no-such-program-xyz");
  }
}
