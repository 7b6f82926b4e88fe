package app.flagger.controller.canary;

/**
 * Whether a workload finished rolling out (Flagger's {@code (retriable, err)} pair as a type). A
 * {@link NotReady} that is not retriable has exceeded its progress deadline.
 */
public sealed interface Readiness {
  /** The rollout finished. */
  record Ready() implements Readiness {}

  /** Still rolling out ({@code retriable}) or stuck past the deadline; {@code reason} is shown. */
  record NotReady(boolean retriable, String reason) implements Readiness {}

  Readiness READY = new Ready();

  default boolean ready() {
    return this instanceof Ready;
  }

  /** The same readiness, with {@code prefix} before a not-ready reason. */
  default Readiness withReasonPrefix(String prefix) {
    return this instanceof NotReady n ? new NotReady(n.retriable(), prefix + n.reason()) : this;
  }
}
