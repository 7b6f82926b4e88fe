package app.flagger.model.canary;

import app.flagger.model.common.StringEnum;
import java.util.Optional;

/**
 * What a compared metric's values are: a {@link #CONTINUOUS} series (latency, CPU; judged by the
 * rank test and the spread test) or a {@link #PROPORTION} of events in a total (errors per
 * requests; judged as counts by Fisher's exact test).
 */
public enum ComparisonKind implements StringEnum {
  CONTINUOUS("continuous"),
  PROPORTION("proportion");

  private final String value;

  ComparisonKind(String value) {
    this.value = value;
  }

  @Override
  public String value() {
    return value;
  }

  /** Parses a kind; blank is {@link #CONTINUOUS}, unknown strings are empty. */
  public static Optional<ComparisonKind> parse(String s) {
    if (s == null || s.isEmpty()) {
      return Optional.of(CONTINUOUS);
    }
    return StringEnum.parse(ComparisonKind.class, s);
  }
}
