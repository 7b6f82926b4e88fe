package app.flagger.model.alert;

import java.util.Optional;

/** The chat systems an AlertProvider can post to. */
public enum AlertProviderType {
  SLACK("slack"),
  MSTEAMS("msteams"),
  DISCORD("discord"),
  ROCKET("rocket"),
  GCHAT("gchat");

  private final String value;

  AlertProviderType(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public static Optional<AlertProviderType> parse(String s) {
    for (AlertProviderType t : values()) {
      if (t.value.equals(s)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
