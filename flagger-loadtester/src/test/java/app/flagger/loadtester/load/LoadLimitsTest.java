package app.flagger.loadtester.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadLimitsTest {
  @Test
  void theBudgetIsLoweredToWhatTheHeapHolds() {
    // the image's 512 MiB limit and MaxRAMPercentage=60 give a ~307 MiB heap: 4,000 fit
    assertThat(LoadLimits.DEFAULT.budgetFor(307L << 20)).isEqualTo(4000);
    // 100 MiB: three quarters at 48 KiB a connection
    assertThat(LoadLimits.DEFAULT.budgetFor(100L << 20)).isEqualTo(1600);
  }

  @Test
  void boundsAreCheckedWhenConfigured() {
    assertThatThrownBy(() -> new LoadLimits(1000, 1, Duration.ofHours(1), 1, 999))
        .hasMessageStartingWith("loadtester.limits.connection-budget: must be at least");
    assertThatThrownBy(() -> new LoadLimits(0, 1, Duration.ofHours(1), 1, 1))
        .hasMessageStartingWith("loadtester.limits.max-connections:");
    assertThatThrownBy(() -> new LoadLimits(1, 0, Duration.ofHours(1), 1, 1))
        .hasMessageStartingWith("loadtester.limits.max-rate:");
    assertThatThrownBy(() -> new LoadLimits(1, 1, Duration.ZERO, 1, 1))
        .hasMessageStartingWith("loadtester.limits.max-duration:");
  }
}
