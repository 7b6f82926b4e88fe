package app.flagger.model.canary;

import app.flagger.model.common.StringEnum;
import java.util.Optional;

/** The kinds of webhook a Canary can declare; an empty type means {@link #ROLLOUT}. */
public enum WebhookType implements StringEnum {
  CONFIRM_ROLLOUT("confirm-rollout"),
  PRE_ROLLOUT("pre-rollout"),
  ROLLOUT("rollout"),
  CONFIRM_TRAFFIC_INCREASE("confirm-traffic-increase"),
  CONFIRM_PROMOTION("confirm-promotion"),
  POST_ROLLOUT("post-rollout"),
  ROLLBACK("rollback"),
  EVENT("event");

  private final String value;

  WebhookType(String value) {
    this.value = value;
  }

  @Override
  public String value() {
    return value;
  }

  /** Parses a webhook type; blank is {@link #ROLLOUT}, unknown strings are empty. */
  public static Optional<WebhookType> parse(String s) {
    if (s == null || s.isEmpty()) {
      return Optional.of(ROLLOUT);
    }
    return StringEnum.parse(WebhookType.class, s);
  }
}
