package app.flagger.loadtester.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LoadCriteriaTest {
  private static LoadResult result(long ok, long failed, long latencyMicros) {
    Histogram h = new Histogram(LoadStats.MAX_MICROS, 3);
    h.recordValueWithCount(latencyMicros, ok + failed);
    return new LoadResult(
        Map.of(200, ok, 503, failed), Map.of(), h, Duration.ofSeconds(1), 0, false);
  }

  @Test
  void passesWithinAllCriteria() {
    LoadCriteria c = new LoadCriteria(1.0, Duration.ofMillis(100), Duration.ofMillis(200), 10L);
    assertThat(c.failures(result(1000, 5, 50_000))).isEmpty();
  }

  @Test
  void namesEveryCriterionThatFails() {
    LoadCriteria c = new LoadCriteria(1.0, Duration.ofMillis(100), Duration.ofMillis(200), 2000L);
    assertThat(c.failures(result(900, 100, 300_000)))
        .containsExactly(
            "only 1000 requests completed, minRequests is 2000",
            "error rate 10.00% (100 of 1000 failed) is above maxErrorRate 1%",
            "p95 latency 300.0ms is above maxP95 100.0ms",
            "p99 latency 300.0ms is above maxP99 200.0ms");
  }
}
