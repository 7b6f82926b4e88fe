package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The phase of periodic jobs: fixed per name, within min(interval / 10, 1 s), spread out. */
class ExecutorJobSchedulerTest {
  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  @Test
  void thePhaseIsFixedPerNameAndWithinItsWindow() {
    long tenSeconds = 10 * SECOND;
    assertThat(ExecutorJobScheduler.phase("app-1.bench", tenSeconds))
        .isEqualTo(ExecutorJobScheduler.phase("app-1.bench", tenSeconds));
    IntStream.range(0, 1000)
        .mapToLong(i -> ExecutorJobScheduler.phase("app-" + i + ".bench", tenSeconds))
        .forEach(p -> assertThat(p).isBetween(0L, SECOND - 1));
    long twoSeconds = 2 * SECOND;
    assertThat(ExecutorJobScheduler.phase("podinfo.test", twoSeconds)).isLessThan(twoSeconds / 10);
  }

  @Test
  void aThousandSimilarNamesSpreadOverTheWindow() {
    Set<Long> millis = new HashSet<>();
    IntStream.range(0, 1000)
        .forEach(
            i ->
                millis.add(
                    ExecutorJobScheduler.phase("app-" + i + ".bench", 10 * SECOND) / 1_000_000));
    assertThat(millis).as("distinct milliseconds of 1000").hasSizeGreaterThan(500);
  }
}
