package app.flagger.sandbox.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** CPU time and memory come from /proc, as cAdvisor reads them. */
class ProcStatsTest {

  @Test
  void parsesStatAndStatus() {
    String stat =
        "4242 (java (pod) x) S 1 4242 4242 0 -1 4194560 5000 0 0 0 250 75 0 0 20 0 20 0 100 0 0";
    assertThat(ProcStats.cpuSeconds(stat)).isEqualTo(3.25);
    assertThat(ProcStats.residentBytes("Name:\tjava\nVmRSS:\t   54008 kB\nThreads: 20\n"))
        .isEqualTo(54008L * 1024);
  }

  @Test
  void readsThisProcess() {
    ProcStats self = ProcStats.read(ProcessHandle.current().pid()).orElseThrow();
    assertThat(self.cpuSeconds()).isPositive();
    assertThat(self.residentBytes()).isGreaterThan(10L * 1024 * 1024);
    assertThat(ProcStats.read(Long.MAX_VALUE)).isEmpty();
  }
}
