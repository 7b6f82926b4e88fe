package app.flagger.loadtester.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationsTest {
  @Test
  void writesDurationsAsGoDoes() {
    assertThat(GoDurations.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(GoDurations.format(Duration.ofNanos(850))).isEqualTo("850ns");
    assertThat(GoDurations.format(Duration.ofNanos(1_500))).isEqualTo("1.5µs");
    assertThat(GoDurations.format(Duration.ofMillis(200))).isEqualTo("200ms");
    assertThat(GoDurations.format(Duration.ofNanos(1_234_567))).isEqualTo("1.234567ms");
    assertThat(GoDurations.format(Duration.ofSeconds(1))).isEqualTo("1s");
    assertThat(GoDurations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(GoDurations.format(Duration.ofMinutes(1))).isEqualTo("1m0s");
    assertThat(GoDurations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(GoDurations.format(Duration.ofHours(1))).isEqualTo("1h0m0s");
  }
}
