package app.flagger.loadtester.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {
  @Test
  void parsesGoDurations() {
    assertThat(GoDuration.parse("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(GoDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(GoDuration.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(GoDuration.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(GoDuration.parseOrSeconds("30")).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void rejectsNumbersWithoutUnitsAndUnknownUnits() {
    assertThatThrownBy(() -> GoDuration.parse("10"))
        .hasMessageContaining("invalid duration \"10\"");
    assertThatThrownBy(() -> GoDuration.parse("1x")).hasMessageContaining("invalid duration");
    assertThatThrownBy(() -> GoDuration.parse("")).hasMessageContaining("empty");
  }

  @Test
  void refusesDurationsBeyondWhatALongHolds() {
    assertThatThrownBy(() -> GoDuration.parse("99999999999h")).hasMessageContaining("too long");
  }

  @Test
  void formatsInGoUnitsWithoutZeroParts() {
    assertThat(GoDuration.format(Duration.ofHours(1))).isEqualTo("1h");
    assertThat(GoDuration.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(GoDuration.format(Duration.ofSeconds(3605))).isEqualTo("1h5s");
    assertThat(GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
  }
}
