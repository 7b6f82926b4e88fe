package app.flagger.controller.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * client-go's {@code EventAggregator}: once {@code maxEvents} Events about one object that differ
 * only by message were seen, each one apart from the previous by at most {@code interval}, the next
 * ones become a single combined Event whose message is the latest one prefixed with {@value
 * #COMBINED_PREFIX}. A gap longer than {@code interval} starts the count again.
 */
final class EventAggregator {
  /** client-go's {@code defaultAggregateMaxEvents}. */
  static final int DEFAULT_MAX_EVENTS = 10;

  /** client-go's {@code defaultAggregateIntervalInSeconds}. */
  static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(10);

  static final String COMBINED_PREFIX = "(combined from similar events): ";

  /** The Event to record and the key its occurrences are counted under. */
  record Aggregated(Event event, EventKeys.CountKey key) {}

  /** The distinct messages seen lately and when the last one was. */
  private static final class Seen {
    final LinkedHashSet<String> messages = new LinkedHashSet<>();
    Instant last;
  }

  private final LruCache<EventKeys.Similar, Seen> cache;
  private final int maxEvents;
  private final Duration interval;
  private final Clock clock;

  EventAggregator(int cacheSize, int maxEvents, Duration interval, Clock clock) {
    this.cache = new LruCache<>(cacheSize);
    this.maxEvents = maxEvents;
    this.interval = interval;
    this.clock = clock;
  }

  /** {@code event} itself, or a new combined Event once there are too many similar ones. */
  Aggregated aggregate(Event event) {
    Instant now = clock.instant();
    EventKeys.Similar similar = EventKeys.Similar.of(event);
    Seen seen = cache.get(similar);
    if (seen == null || Duration.between(seen.last, now).compareTo(interval) > 0) {
      seen = new Seen();
    }
    seen.messages.add(event.getMessage());
    seen.last = now;
    cache.put(similar, seen);
    if (seen.messages.size() < maxEvents) {
      return new Aggregated(event, EventKeys.Identical.of(event));
    }
    // keep the set below the threshold: client-go drops an arbitrary message, we the oldest
    Iterator<String> oldest = seen.messages.iterator();
    oldest.next();
    oldest.remove();
    String ts = now.toString();
    Event combined =
        new EventBuilder()
            .withNewMetadata()
            .withName(KubernetesEventSink.newName(event.getInvolvedObject().getName()))
            .withNamespace(event.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(event.getInvolvedObject())
            .withType(event.getType())
            .withReason(event.getReason())
            .withSource(event.getSource())
            .withMessage(KubernetesEventSink.truncate(COMBINED_PREFIX + event.getMessage()))
            .withFirstTimestamp(ts)
            .withLastTimestamp(ts)
            .withCount(1)
            .build();
    return new Aggregated(combined, similar);
  }
}
