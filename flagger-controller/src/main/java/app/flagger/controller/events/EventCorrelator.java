package app.flagger.controller.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * client-go's {@code EventCorrelator} ({@code tools/record/events_cache.go}) for the core/v1 Events
 * of {@link KubernetesEventSink}: it combines similar Events ({@link EventAggregator}), counts
 * identical ones on one Event, and drops what is over the spam budget ({@link EventSpamFilter}).
 *
 * <p>An Event seen before (same reporter, involved object, type, reason and message, and still in
 * the cache) comes back with the first occurrence's name and {@code firstTimestamp}, its own {@code
 * lastTimestamp} and message, and {@code count} one higher: the sink then updates that Event
 * instead of creating one. As in client-go an occurrence is counted even when the spam filter drops
 * it, so the next one that gets through carries the full count. There is no time limit on counting:
 * an Event that the API server has since deleted (its event TTL, one hour by default) is created
 * again under the same name.
 *
 * <p>Every cache is bounded ({@value #DEFAULT_CACHE_SIZE} entries in client-go): a forgotten Event
 * starts again with a new Event and {@code count} 1.
 */
final class EventCorrelator {
  /** client-go's {@code maxLruCacheEntries}. */
  static final int DEFAULT_CACHE_SIZE = 4096;

  /** The first occurrence of an Event and how often it occurred since. */
  private record Observation(String name, String firstTimestamp, int count) {}

  private final EventAggregator aggregator;
  private final EventSpamFilter spamFilter;
  private final LruCache<EventKeys.CountKey, Observation> observations;

  /** client-go's defaults. */
  EventCorrelator(Clock clock) {
    this(clock, DEFAULT_CACHE_SIZE, EventSpamFilter.DEFAULT_BURST, EventSpamFilter.DEFAULT_REFILL);
  }

  EventCorrelator(Clock clock, int cacheSize, int spamBurst, Duration spamRefill) {
    this.aggregator =
        new EventAggregator(
            cacheSize, EventAggregator.DEFAULT_MAX_EVENTS, EventAggregator.DEFAULT_INTERVAL, clock);
    this.spamFilter = new EventSpamFilter(cacheSize, spamBurst, spamRefill, clock);
    this.observations = new LruCache<>(cacheSize);
  }

  /**
   * The Event to send: a new one ({@code count} 1) to create, or one with {@code count} above 1
   * that updates the Event of that name. Empty when the spam filter drops it.
   */
  synchronized Optional<Event> correlate(Event event) {
    EventAggregator.Aggregated aggregated = aggregator.aggregate(event);
    Event observed = observe(aggregated.event(), aggregated.key());
    return spamFilter.filter(observed) ? Optional.empty() : Optional.of(observed);
  }

  /** Occurrences counted right now, at most the cache size. */
  synchronized int counted() {
    return observations.size();
  }

  private Event observe(Event event, EventKeys.CountKey key) {
    Observation last = observations.get(key);
    Event observed = event;
    if (last != null) {
      observed =
          new EventBuilder(event)
              .editMetadata()
              .withName(last.name())
              .endMetadata()
              .withFirstTimestamp(last.firstTimestamp())
              .withCount(last.count() + 1)
              .build();
    }
    observations.put(
        key,
        new Observation(
            observed.getMetadata().getName(), observed.getFirstTimestamp(), observed.getCount()));
    return observed;
  }
}
