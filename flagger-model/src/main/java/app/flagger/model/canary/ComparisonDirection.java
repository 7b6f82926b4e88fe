package app.flagger.model.canary;

import app.flagger.model.common.StringEnum;
import java.util.Optional;

/**
 * Which change of a compared metric is bad, as Kayenta's {@code direction}: {@link #INCREASE} fails
 * a canary whose values are higher than the baseline's (latency, errors), {@link #DECREASE} one
 * whose values are lower (success rate, throughput), {@link #EITHER} both.
 */
public enum ComparisonDirection implements StringEnum {
  INCREASE("increase"),
  DECREASE("decrease"),
  EITHER("either");

  private final String value;

  ComparisonDirection(String value) {
    this.value = value;
  }

  @Override
  public String value() {
    return value;
  }

  /** True when a higher canary value is a failure. */
  public boolean higherIsBad() {
    return this != DECREASE;
  }

  /** True when a lower canary value is a failure. */
  public boolean lowerIsBad() {
    return this != INCREASE;
  }

  /**
   * Parses a direction; blank is {@link #EITHER} (Kayenta's default), unknown strings are empty.
   */
  public static Optional<ComparisonDirection> parse(String s) {
    if (s == null || s.isEmpty()) {
      return Optional.of(EITHER);
    }
    return StringEnum.parse(ComparisonDirection.class, s);
  }
}
