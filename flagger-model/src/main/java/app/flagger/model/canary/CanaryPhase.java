package app.flagger.model.canary;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The phase of a Canary, with Flagger's exact strings. */
public enum CanaryPhase {
  NONE(""),
  INITIALIZING("Initializing"),
  INITIALIZED("Initialized"),
  WAITING("Waiting"),
  PROGRESSING("Progressing"),
  WAITING_PROMOTION("WaitingPromotion"),
  PROMOTING("Promoting"),
  FINALISING("Finalising"),
  SUCCEEDED("Succeeded"),
  FAILED("Failed"),
  TERMINATING("Terminating"),
  TERMINATED("Terminated");

  private final String value;

  CanaryPhase(String value) {
    this.value = value;
  }

  @JsonValue
  public String value() {
    return value;
  }

  /** Parses Flagger's string; {@code null} and unknown strings read as {@link #NONE}. */
  @JsonCreator
  public static CanaryPhase of(String s) {
    for (CanaryPhase p : values()) {
      if (p.value.equals(s)) {
        return p;
      }
    }
    return NONE;
  }

  /** The value of {@code flagger_canary_status}: 0 Progressing, 2 Failed, 1 otherwise. */
  public int statusMetricValue() {
    return switch (this) {
      case PROGRESSING -> 0;
      case FAILED -> 2;
      default -> 1;
    };
  }
}
