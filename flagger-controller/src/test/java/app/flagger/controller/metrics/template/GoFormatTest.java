package app.flagger.controller.metrics.template;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GoFormatTest {
  @Test
  void formatsFloatsLikeGoPercentV() {
    assertThat(GoFormat.v(99)).isEqualTo("99");
    assertThat(GoFormat.v(99.5)).isEqualTo("99.5");
    assertThat(GoFormat.v(0.001)).isEqualTo("0.001");
    assertThat(GoFormat.v(0.00001)).isEqualTo("1e-05");
    assertThat(GoFormat.v(123456)).isEqualTo("123456");
    assertThat(GoFormat.v(1000000)).isEqualTo("1e+06");
    assertThat(GoFormat.v(1234567)).isEqualTo("1.234567e+06");
  }

  @Test
  void roundsTwoDecimalsFromTheExactBinaryValue() {
    assertThat(GoFormat.fixed(2.675, 2)).isEqualTo("2.67");
    assertThat(GoFormat.fixed(0.125, 2)).isEqualTo("0.12");
    assertThat(GoFormat.fixed(98.6875, 2)).isEqualTo("98.69");
    assertThat(GoFormat.fixed(100, 2)).isEqualTo("100.00");
  }

  @Test
  void formatsDurationsLikeGo() {
    assertThat(GoFormat.duration(0)).isEqualTo("0s");
    assertThat(GoFormat.duration(500_000_000L)).isEqualTo("500ms");
    assertThat(GoFormat.duration(12_300_000L)).isEqualTo("12.3ms");
    assertThat(GoFormat.duration(1_515_000_000L)).isEqualTo("1.515s");
    assertThat(GoFormat.duration(60_000_000_000L)).isEqualTo("1m0s");
    assertThat(GoFormat.duration(90_500_000_000L)).isEqualTo("1m30.5s");
    assertThat(GoFormat.duration(3_600_000_000_000L)).isEqualTo("1h0m0s");
    assertThat(GoFormat.duration(1_500L)).isEqualTo("1.5µs");
  }
}
