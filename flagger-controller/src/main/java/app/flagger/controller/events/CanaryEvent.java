package app.flagger.controller.events;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import java.time.Instant;

/**
 * One event of a Canary: the Canary as the emitter saw it, the phase reported (sometimes the next
 * phase, as in Flagger), Normal or Warning, whether it is logged at error level, and the text.
 */
public record CanaryEvent(
    Canary canary, CanaryPhase phase, Type type, boolean error, String message, Instant time) {

  /** Kubernetes event types. */
  public enum Type {
    NORMAL("Normal"),
    WARNING("Warning");

    private final String value;

    Type(String value) {
      this.value = value;
    }

    public String value() {
      return value;
    }
  }
}
