package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The phase of periodic jobs: fixed per name, within half the interval, spread out. */
class ExecutorJobSchedulerTest {
  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  @Test
  void thePhaseIsFixedPerNameAndWithinItsWindow() {
    long tenSeconds = 10 * SECOND;
    assertThat(ExecutorJobScheduler.phase("app-1.bench", tenSeconds))
        .isEqualTo(ExecutorJobScheduler.phase("app-1.bench", tenSeconds));
    IntStream.range(0, 1000)
        .mapToLong(i -> ExecutorJobScheduler.phase("app-" + i + ".bench", tenSeconds))
        .forEach(p -> assertThat(p).isBetween(0L, 5 * SECOND - 1));
    long twoSeconds = 2 * SECOND;
    assertThat(ExecutorJobScheduler.phase("podinfo.test", twoSeconds)).isLessThan(twoSeconds / 2);
  }

  @Test
  void aThousandSimilarNamesSpreadOverTheWindow() {
    Set<Long> millis = new HashSet<>();
    IntStream.range(0, 1000)
        .forEach(
            i ->
                millis.add(
                    ExecutorJobScheduler.phase("app-" + i + ".bench", 10 * SECOND) / 1_000_000));
    assertThat(millis).as("distinct milliseconds of 1000").hasSizeGreaterThan(800);
    assertThat(millis.stream().mapToLong(Long::longValue).max().orElseThrow())
        .as("the last phase lies in the window's last tenth")
        .isGreaterThan(4_500);
  }
}
