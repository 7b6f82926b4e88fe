package app.flagger.model.alert;

import app.flagger.model.common.StringEnum;
import java.util.Optional;

/**
 * Alert severities. A subscription of a given severity receives messages of that severity and
 * above: {@code info} gets everything, {@code warn} warnings and errors, {@code error} errors only.
 */
public enum AlertSeverity implements StringEnum {
  INFO("info"),
  WARN("warn"),
  ERROR("error");

  private final String value;

  AlertSeverity(String value) {
    this.value = value;
  }

  @Override
  public String value() {
    return value;
  }

  /** Parses a severity; blank means info, unknown strings are empty. */
  public static Optional<AlertSeverity> parse(String s) {
    if (s == null || s.isEmpty()) {
      return Optional.of(INFO);
    }
    return StringEnum.parse(AlertSeverity.class, s);
  }

  /** Whether a subscription of this severity receives a message of {@code message} severity. */
  public boolean receives(AlertSeverity message) {
    return message.ordinal() >= ordinal();
  }
}
