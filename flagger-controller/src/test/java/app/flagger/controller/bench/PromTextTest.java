package app.flagger.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PromTextTest {
  /** As Helidon renders it: sorted labels, a scope label, a trailing comma. */
  static final String SCRAPE =
      """
      # HELP flagger_controller_calls_total Calls
      # TYPE flagger_controller_calls_total counter
      flagger_controller_calls_total{outcome="error",scope="application",target="kubernetes",} 3.0
      flagger_controller_calls_total{outcome="success",scope="application",target="kubernetes",} 40.0
      flagger_controller_calls_total{outcome="success",scope="application",target="webhook",} 7.0
      flagger_controller_tick_lateness_seconds_bucket{scope="application",le="0.005",} 90.0
      flagger_controller_tick_lateness_seconds_bucket{scope="application",le="0.01",} 99.0
      flagger_controller_tick_lateness_seconds_bucket{scope="application",le="+Inf",} 100.0
      flagger_controller_tick_lateness_seconds_count{scope="application",} 100.0
      flagger_controller_ticks_in_flight{scope="application",} 2.0
      flagger_info{mesh_provider="kubernetes",scope="application",version="a \\"b\\", c",} 1.0
      requests_count_total 12 1700000000000
      """;

  @Test
  void sumsSamplesWhoseLabelsIncludeTheMatch() {
    PromText m = PromText.parse(SCRAPE);

    assertThat(m.sum("flagger_controller_calls_total", Map.of("target", "kubernetes")))
        .isEqualTo(43.0);
    assertThat(m.sum("flagger_controller_calls_total", Map.of())).isEqualTo(50.0);
    assertThat(m.sum("flagger_controller_ticks_in_flight", Map.of())).isEqualTo(2.0);
    assertThat(m.sum("requests_count_total", Map.of())).isEqualTo(12.0);
    assertThat(m.sum("absent", Map.of())).isZero();
  }

  @Test
  void readsHistogramBucketsByUpperBound() {
    PromText m = PromText.parse(SCRAPE);

    assertThat(m.buckets("flagger_controller_tick_lateness_seconds", Map.of()))
        .containsExactly(
            Map.entry(0.005, 90L), Map.entry(0.01, 99L), Map.entry(Double.POSITIVE_INFINITY, 100L));
  }

  @Test
  void unescapesQuotedLabelValues() {
    PromText m = PromText.parse(SCRAPE);

    assertThat(m.samples())
        .filteredOn(s -> s.name().equals("flagger_info"))
        .singleElement()
        .satisfies(s -> assertThat(s.labels()).containsEntry("version", "a \"b\", c"));
  }

  @Test
  void namesTheLineItCannotRead() {
    assertThatThrownBy(() -> PromText.parse("ok 1\nbroken{le=0.1} 2\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metrics line 2");
  }

  @Test
  void percentileIsTheBucketHoldingTheQuantileOfTheSamplesInBetween() {
    Map<Double, Long> before = Map.of(0.005, 10L, 0.01, 10L, Double.POSITIVE_INFINITY, 10L);
    Map<Double, Long> after =
        new java.util.TreeMap<>(Map.of(0.005, 90L, 0.01, 109L, Double.POSITIVE_INFINITY, 110L));

    assertThat(BenchWindow.percentile(before, after, 100, 0.50)).isEqualTo("0.005");
    assertThat(BenchWindow.percentile(before, after, 100, 0.99)).isEqualTo("0.010");
    assertThat(BenchWindow.percentile(before, after, 100, 1.0)).isEqualTo("+Inf");
    assertThat(BenchWindow.percentile(before, after, 0, 0.5)).isEqualTo("n/a");
  }
}
