package app.flagger.model.alert;

import app.flagger.model.common.StringEnum;
import java.util.Optional;

/** The chat systems an AlertProvider can post to. */
public enum AlertProviderType implements StringEnum {
  SLACK("slack"),
  MSTEAMS("msteams"),
  DISCORD("discord"),
  ROCKET("rocket"),
  GCHAT("gchat");

  private final String value;

  AlertProviderType(String value) {
    this.value = value;
  }

  @Override
  public String value() {
    return value;
  }

  public static Optional<AlertProviderType> parse(String s) {
    return StringEnum.parse(AlertProviderType.class, s);
  }
}
