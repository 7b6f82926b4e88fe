package app.flagger.loadtester.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** ghz's summary output (printer/template.go), line for line. */
class GhzReportTest {
  private static GhzResult result() {
    GhzStats stats = new GhzStats(false, 0);
    stats.record(Status.OK, 1_000_000);
    stats.record(Status.OK, 1_000_000);
    stats.record(Status.OK, 2_000_000);
    stats.record(Status.OK, 5_000_000);
    stats.record(Status.UNAVAILABLE.withDescription("flaky"), 2_000_000);
    return stats.result(Duration.ofSeconds(1), false);
  }

  @Test
  void writesGhzSummaryLayout() {
    String bar40 = "∎".repeat(40);
    String bar20 = "∎".repeat(20);
    assertThat(GhzReport.format(result(), null))
        .isEqualTo(
            "\nSummary:\n"
                + "  Count:\t5\n"
                + "  Total:\t1.00 s\n"
                + "  Slowest:\t5.00 ms\n"
                + "  Fastest:\t1.00 ms\n"
                + "  Average:\t2.20 ms\n"
                + "  Requests/sec:\t5.00\n"
                + "\n"
                + "Response time histogram:\n"
                + "  1.000 [2] |"
                + bar40
                + "\n"
                + "  1.400 [0] |\n"
                + "  1.800 [0] |\n"
                + "  2.200 [1] |"
                + bar20
                + "\n"
                + "  2.600 [0] |\n"
                + "  3.000 [0] |\n"
                + "  3.400 [0] |\n"
                + "  3.800 [0] |\n"
                + "  4.200 [0] |\n"
                + "  4.600 [0] |\n"
                + "  5.000 [1] |"
                + bar20
                + "\n"
                + "\n"
                + "Latency distribution:\n"
                + "  10 % in 1.00 ms \n"
                + "  25 % in 1.00 ms \n"
                + "  50 % in 1.00 ms \n"
                + "  75 % in 2.00 ms \n"
                + "  90 % in 5.00 ms \n"
                + "  95 % in 5.00 ms \n"
                + "  99 % in 5.00 ms \n"
                + "\n"
                + "Status code distribution:\n"
                + "  [OK]            4 responses   \n"
                + "  [Unavailable]   1 responses   \n"
                + "\n"
                + "Error distribution:\n"
                + "  [1]   rpc error: code = Unavailable desc = flaky   \n"
                + "\n");
  }

  @Test
  void namesTheRunAndUsesGhzUnits() {
    assertThat(GhzReport.format(result(), "smoke")).startsWith("\nSummary:\n  Name:\t\tsmoke\n");
    assertThat(GhzReport.nanoUnit(Duration.ofNanos(9_999))).isEqualTo("9999 ns");
    assertThat(GhzReport.nanoUnit(Duration.ofNanos(10_000))).isEqualTo("0.01 ms");
    assertThat(GhzReport.nanoUnit(Duration.ofMillis(999))).isEqualTo("999.00 ms");
    assertThat(GhzReport.nanoUnit(Duration.ofSeconds(60))).isEqualTo("60.00 s");
  }

  @Test
  void countsFailedCallsInTheLatenciesOnlyWhenAsked() {
    GhzStats stats = new GhzStats(true, 1);
    stats.record(Status.OK, 9_000_000); // skipped
    stats.record(Status.OK, 1_000_000);
    stats.record(Status.DEADLINE_EXCEEDED, 20_000_000);
    GhzResult r = stats.result(Duration.ofSeconds(2), false);
    assertThat(r.count()).isEqualTo(2);
    assertThat(r.slowest()).isEqualTo(Duration.ofMillis(20));
    assertThat(r.codes()).containsEntry("DeadlineExceeded", 1L);
    assertThat(r.asLoadResult().failed()).isEqualTo(1);
    assertThat(r.asLoadResult().total()).isEqualTo(2);
  }
}
