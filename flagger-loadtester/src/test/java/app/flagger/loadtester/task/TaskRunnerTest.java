package app.flagger.loadtester.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.loadtester.load.LoadGenerator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskRunnerTest {
  /** Runs until released or cancelled; counts starts. */
  static final class GatedExecutor implements CommandExecutor {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger started = new AtomicInteger();

    @Override
    public Result run(List<String> argv, Duration timeout, BooleanSupplier cancelled) {
      started.incrementAndGet();
      try {
        while (!release.await(10, TimeUnit.MILLISECONDS)) {
          if (cancelled.getAsBoolean()) {
            return new Result(-1, "", true, "");
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new Result(0, "done", false, "");
    }
  }

  private final GatedExecutor commands = new GatedExecutor();
  private TaskRunner runner;

  private TaskRunner runner(Duration timeout, int max) {
    runner =
        new TaskRunner(
            new TaskExecutor(commands, new LoadGenerator(1), LoadMetrics.none()),
            Executors.newVirtualThreadPerTaskExecutor(),
            timeout,
            max);
    return runner;
  }

  private static CommandTask task(String canary, String cmd, boolean blocking) {
    return new CommandTask(canary, "cmd", cmd, List.of(cmd), blocking, false, true);
  }

  @AfterEach
  void close() {
    commands.release.countDown();
    runner.close();
  }

  @Test
  void sameCanaryAndCommandRunsOnceWhileRunning() {
    TaskRunner r = runner(Duration.ofHours(1), 8);
    assertThat(r.submit(task("podinfo.test", "hey", false)))
        .isEqualTo(TaskRunner.Submission.STARTED);
    assertThat(r.submit(task("podinfo.test", "hey", false)))
        .isEqualTo(TaskRunner.Submission.ALREADY_RUNNING);
    assertThat(r.submit(task("other.test", "hey", false))).isEqualTo(TaskRunner.Submission.STARTED);
    await().atMost(Duration.ofSeconds(30)).until(() -> commands.started.get() == 2);
    commands.release.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> r.running() == 0);
    assertThat(r.submit(task("podinfo.test", "hey", false)))
        .isEqualTo(TaskRunner.Submission.STARTED);
  }

  @Test
  void capsConcurrentTasks() {
    TaskRunner r = runner(Duration.ofHours(1), 2);
    assertThat(r.submit(task("a.test", "x", false))).isEqualTo(TaskRunner.Submission.STARTED);
    assertThat(r.submit(task("b.test", "x", false))).isEqualTo(TaskRunner.Submission.STARTED);
    assertThat(r.submit(task("c.test", "x", false))).isEqualTo(TaskRunner.Submission.AT_CAPACITY);
    assertThat(r.runBlocking(task("d.test", "x", true))).isNull();
  }

  @Test
  void blockingTaskStopsAtTheTimeout() {
    TaskRunner r = runner(Duration.ofMillis(200), 2);
    TaskOutcome o = r.runBlocking(task("podinfo.test", "slow", true));
    assertThat(o.result()).isEqualTo(TaskOutcome.Result.TIMED_OUT);
    assertThat(o.message()).contains("timed out");
    assertThat(r.running()).isZero();
  }

  @Test
  void blockingTaskReturnsItsOutput() {
    TaskRunner r = runner(Duration.ofHours(1), 2);
    commands.release.countDown();
    TaskOutcome o = r.runBlocking(task("podinfo.test", "fast", true));
    assertThat(o.succeeded()).isTrue();
    assertThat(o.output()).isEqualTo("done");
  }

  @Test
  void closeCancelsRunningTasks() {
    TaskRunner r = runner(Duration.ofHours(1), 2);
    r.submit(task("podinfo.test", "forever", false));
    await().atMost(Duration.ofSeconds(30)).until(() -> commands.started.get() == 1);
    r.close();
    assertThat(r.running()).isZero();
    assertThat(r.submit(task("podinfo.test", "later", false)))
        .isEqualTo(TaskRunner.Submission.AT_CAPACITY);
  }

  /** The executor refusing work (shut down under the runner) neither leaks a slot nor a key. */
  @Test
  void aRefusedSubmissionGivesItsSlotBack() {
    runner(Duration.ofHours(1), 1);
    var dead = Executors.newVirtualThreadPerTaskExecutor();
    dead.shutdown();
    TaskRunner r =
        new TaskRunner(
            new TaskExecutor(commands, new LoadGenerator(1), LoadMetrics.none()),
            dead,
            Duration.ofHours(1),
            1);
    assertThat(r.submit(task("podinfo.test", "hey", false)))
        .isEqualTo(TaskRunner.Submission.AT_CAPACITY);
    assertThat(r.running()).isZero();
    commands.release.countDown();
    assertThat(r.runBlocking(task("podinfo.test", "fast", true)).succeeded()).isTrue();
  }
}
