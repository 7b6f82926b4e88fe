package app.flagger.controller.support;

import app.flagger.controller.events.CanaryEvent;
import app.flagger.controller.events.EventSink;
import java.util.ArrayList;
import java.util.List;

/** Records events in order, for message-by-message assertions. */
public final class RecordingEvents implements EventSink {
  /** What a test compares: the phase reported, the type and the text. */
  public record Recorded(String phase, String type, String message) {
    @Override
    public String toString() {
      return phase + " " + type + " " + message;
    }
  }

  private final List<Recorded> events = new ArrayList<>();

  @Override
  public synchronized void record(CanaryEvent e) {
    events.add(new Recorded(e.phase().value(), e.type().value(), e.message()));
  }

  public synchronized List<Recorded> all() {
    return List.copyOf(events);
  }

  public synchronized List<String> messages() {
    return events.stream().map(Recorded::message).toList();
  }

  public synchronized void clear() {
    events.clear();
  }
}
