package app.flagger.controller.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.ObjectReference;

/**
 * The keys client-go's event correlator ({@code tools/record/events_cache.go}) groups core/v1
 * Events by, as records instead of concatenated strings.
 */
final class EventKeys {
  private EventKeys() {}

  /** What the event logger counts occurrences under: an Event, or a combined Event. */
  sealed interface CountKey permits Identical, Similar {}

  /** Who reports ({@code source}) about which object ({@code involvedObject}). */
  record Subject(
      String component,
      String host,
      String kind,
      String namespace,
      String name,
      String uid,
      String apiVersion) {
    static Subject of(Event e) {
      EventSource s = e.getSource() == null ? new EventSource() : e.getSource();
      ObjectReference o =
          e.getInvolvedObject() == null ? new ObjectReference() : e.getInvolvedObject();
      return new Subject(
          s.getComponent(),
          s.getHost(),
          o.getKind(),
          o.getNamespace(),
          o.getName(),
          o.getUid(),
          o.getApiVersion());
    }
  }

  /** client-go's {@code getEventKey}: identical Events, counted on one Event. */
  record Identical(Subject subject, String fieldPath, String type, String reason, String message)
      implements CountKey {
    static Identical of(Event e) {
      String fieldPath =
          e.getInvolvedObject() == null ? null : e.getInvolvedObject().getFieldPath();
      return new Identical(Subject.of(e), fieldPath, e.getType(), e.getReason(), e.getMessage());
    }
  }

  /**
   * client-go's {@code EventAggregatorByReasonFunc}: Events that differ only by message, combined
   * once there are many of them.
   */
  record Similar(
      Subject subject,
      String type,
      String reason,
      String reportingController,
      String reportingInstance)
      implements CountKey {
    static Similar of(Event e) {
      return new Similar(
          Subject.of(e),
          e.getType(),
          e.getReason(),
          e.getReportingComponent(),
          e.getReportingInstance());
    }
  }

  /** client-go's {@code getSpamKey}: one token bucket per reporter, object and type. */
  record Spam(Subject subject, String type) {
    static Spam of(Event e) {
      return new Spam(Subject.of(e), e.getType());
    }
  }
}
