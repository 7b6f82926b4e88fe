package app.flagger.controller.events;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Flagger's {@code recordEventInfof}, {@code recordEventWarningf} and {@code recordEventErrorf}:
 * every event goes to each sink (Kubernetes Event with reason {@code Synced}, JSON log line, event
 * webhook). A failing sink never affects the others or the tick.
 */
public final class CanaryEvents {
  private static final Logger LOG = Logger.getLogger(CanaryEvents.class.getName());

  private final Clock clock;
  private final List<EventSink> sinks = new CopyOnWriteArrayList<>();

  public CanaryEvents(Clock clock, List<EventSink> sinks) {
    this.clock = clock;
    this.sinks.addAll(sinks);
  }

  /** Adds a sink (tests add a recorder). */
  public void addSink(EventSink sink) {
    sinks.add(sink);
  }

  /** A Normal event with the Canary's current phase. */
  public void info(Canary canary, String message) {
    emit(canary, phase(canary), CanaryEvent.Type.NORMAL, false, message);
  }

  /** A Normal event reported with {@code phase}. */
  public void info(Canary canary, CanaryPhase phase, String message) {
    emit(canary, phase, CanaryEvent.Type.NORMAL, false, message);
  }

  /** A Warning event logged at info. */
  public void warn(Canary canary, String message) {
    emit(canary, phase(canary), CanaryEvent.Type.WARNING, false, message);
  }

  /** A Warning event reported with {@code phase}. */
  public void warn(Canary canary, CanaryPhase phase, String message) {
    emit(canary, phase, CanaryEvent.Type.WARNING, false, message);
  }

  /** A Warning event logged at error. */
  public void error(Canary canary, String message) {
    emit(canary, phase(canary), CanaryEvent.Type.WARNING, true, message);
  }

  private void emit(
      Canary canary, CanaryPhase phase, CanaryEvent.Type type, boolean error, String message) {
    CanaryEvent event = new CanaryEvent(canary, phase, type, error, message, clock.instant());
    for (EventSink sink : sinks) {
      try {
        sink.record(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "event sink failed: " + e.getMessage(), e);
      }
    }
  }

  private static CanaryPhase phase(Canary canary) {
    return canary.getStatus() == null ? CanaryPhase.NONE : canary.getStatus().phaseOrNone();
  }
}
