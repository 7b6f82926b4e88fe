package app.flagger.controller.events;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.MutableClock;
import app.flagger.model.canary.CanaryPhase;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * client-go's event correlation with a clock moved by hand: identical events counted on one Event,
 * similar ones combined, the spam filter's budget, and the bounded caches.
 */
class EventCorrelatorTest {
  private static final String NOT_READY =
      "podinfo-primary.test not ready: waiting for rollout to finish";

  private final MutableClock clock = MutableClock.atEpochDay();
  private final EventCorrelator correlator = new EventCorrelator(clock);

  @Test
  void anIdenticalEventCountsOnTheFirstOnesEvent() {
    Event first = send(warning("podinfo", NOT_READY));
    clock.advance(Duration.ofMinutes(1));
    Event second = send(warning("podinfo", NOT_READY));
    clock.advance(Duration.ofMinutes(1));
    Event third = send(warning("podinfo", NOT_READY));

    assertThat(first.getCount()).isEqualTo(1);
    assertThat(second.getCount()).isEqualTo(2);
    assertThat(third.getCount()).isEqualTo(3);
    assertThat(third.getMetadata().getName()).isEqualTo(first.getMetadata().getName());
    assertThat(second.getMetadata().getName()).isEqualTo(first.getMetadata().getName());
    assertThat(third.getFirstTimestamp()).isEqualTo("2026-01-01T10:00:00Z");
    assertThat(third.getLastTimestamp()).isEqualTo("2026-01-01T10:02:00Z");
    assertThat(third.getMessage()).isEqualTo(NOT_READY);
  }

  @Test
  void aDifferentMessageTypeOrObjectMakesANewEvent() {
    Event first = send(warning("podinfo", NOT_READY));
    Event otherMessage = send(warning("podinfo", "Halt advancement"));
    Event otherType = send(normal("podinfo", NOT_READY));
    Event otherCanary = send(warning("backend", NOT_READY));

    assertThat(otherMessage.getCount()).isEqualTo(1);
    assertThat(otherType.getCount()).isEqualTo(1);
    assertThat(otherCanary.getCount()).isEqualTo(1);
    assertThat(
            java.util.stream.Stream.of(first, otherMessage, otherType, otherCanary)
                .map(e -> e.getMetadata().getName()))
        .doesNotHaveDuplicates();
    // and the first one still counts on its own Event
    assertThat(send(warning("podinfo", NOT_READY)).getMetadata().getName())
        .isEqualTo(first.getMetadata().getName());
  }

  /** client-go has no time limit on counting: the API server's event TTL ends an Event. */
  @Test
  void anIdenticalEventAfterTenMinutesStillCountsOnTheSameEvent() {
    Event first = send(warning("podinfo", NOT_READY));
    clock.advance(Duration.ofMinutes(11));
    Event later = send(warning("podinfo", NOT_READY));

    assertThat(later.getMetadata().getName()).isEqualTo(first.getMetadata().getName());
    assertThat(later.getCount()).isEqualTo(2);
    assertThat(later.getLastTimestamp()).isEqualTo("2026-01-01T10:11:00Z");
  }

  @Test
  void theTenthSimilarEventWithinTenMinutesStartsACombinedEvent() {
    for (int i = 1; i <= 9; i++) {
      Event own = send(normal("podinfo", "Advance podinfo.test canary weight " + i * 10));
      assertThat(own.getMessage()).isEqualTo("Advance podinfo.test canary weight " + i * 10);
      clock.advance(Duration.ofMinutes(1));
    }
    Event combined = send(normal("podinfo", "Advance podinfo.test canary weight 100"));
    clock.advance(Duration.ofMinutes(1));
    Event again = send(normal("podinfo", "Promotion completed! Scaling down podinfo.test"));

    assertThat(combined.getMessage())
        .isEqualTo("(combined from similar events): Advance podinfo.test canary weight 100");
    assertThat(combined.getCount()).isEqualTo(1);
    assertThat(again.getMetadata().getName()).isEqualTo(combined.getMetadata().getName());
    assertThat(again.getCount()).isEqualTo(2);
    assertThat(again.getMessage())
        .isEqualTo(
            "(combined from similar events): Promotion completed! Scaling down podinfo.test");
    assertThat(again.getFirstTimestamp()).isEqualTo(combined.getFirstTimestamp());
    assertThat(again.getLastTimestamp()).isEqualTo("2026-01-01T10:10:00Z");
  }

  @Test
  void similarEventsAfterTenQuietMinutesAreNoLongerCombined() {
    for (int i = 1; i <= 10; i++) {
      send(normal("podinfo", "message " + i));
    }
    // exactly ten minutes later the similar events are still counted
    clock.advance(Duration.ofMinutes(10));
    assertThat(send(normal("podinfo", "message 11")).getMessage()).startsWith("(combined");
    clock.advance(Duration.ofMinutes(10).plusSeconds(1));

    Event fresh = send(normal("podinfo", "message 12"));

    assertThat(fresh.getMessage()).isEqualTo("message 12");
    assertThat(fresh.getCount()).isEqualTo(1);
  }

  @Test
  void twentyFiveEventsPerCanaryPassThenOneEveryFiveMinutes() {
    for (int i = 1; i <= 25; i++) {
      assertThat(correlator.correlate(warning("podinfo", NOT_READY))).as("event %d", i).isPresent();
    }
    assertThat(correlator.correlate(warning("podinfo", NOT_READY))).isEmpty();
    assertThat(correlator.correlate(warning("podinfo", "another message"))).isEmpty();
    // another Canary and the Normal events of this one have their own budget
    assertThat(correlator.correlate(warning("backend", NOT_READY))).isPresent();
    assertThat(correlator.correlate(normal("podinfo", "Starting canary analysis"))).isPresent();

    clock.advance(Duration.ofMinutes(4));
    assertThat(correlator.correlate(warning("podinfo", NOT_READY))).isEmpty();
    clock.advance(Duration.ofMinutes(1));
    Optional<Event> refilled = correlator.correlate(warning("podinfo", NOT_READY));
    assertThat(correlator.correlate(warning("podinfo", NOT_READY))).isEmpty();

    // the dropped occurrences were counted: the next Event that passes carries them
    assertThat(refilled).get().extracting(Event::getCount).isEqualTo(28);
  }

  @Test
  void theCachesForgetTheLeastRecentlyUsedEvent() {
    EventCorrelator small =
        new EventCorrelator(
            clock, 3, EventSpamFilter.DEFAULT_BURST, EventSpamFilter.DEFAULT_REFILL);
    String a = small.correlate(warning("a", NOT_READY)).orElseThrow().getMetadata().getName();
    small.correlate(warning("b", NOT_READY));
    small.correlate(warning("c", NOT_READY));
    assertThat(small.correlate(warning("a", NOT_READY)).orElseThrow().getCount()).isEqualTo(2);
    small.correlate(warning("d", NOT_READY)); // evicts b, the least recently used
    small.correlate(warning("e", NOT_READY)); // evicts c

    assertThat(small.counted()).isEqualTo(3);
    assertThat(small.correlate(warning("a", NOT_READY)).orElseThrow())
        .satisfies(e -> assertThat(e.getCount()).isEqualTo(3))
        .satisfies(e -> assertThat(e.getMetadata().getName()).isEqualTo(a));
    Event b = small.correlate(warning("b", NOT_READY)).orElseThrow();
    assertThat(b.getCount()).isEqualTo(1);
  }

  @Test
  void aMessageOverOneKibibyteIsCutWithoutSplittingACharacter() {
    assertThat(KubernetesEventSink.truncate("a".repeat(2000))).hasSize(1024);
    assertThat(KubernetesEventSink.truncate("short")).isEqualTo("short");
    assertThat(KubernetesEventSink.truncate("€".repeat(400))).isEqualTo("€".repeat(341));
    String emoji = "\uD83D\uDE80"; // 4 bytes, two chars
    assertThat(KubernetesEventSink.truncate("a" + emoji.repeat(300)))
        .isEqualTo("a" + emoji.repeat(255));
    String exact = "é".repeat(512);
    assertThat(KubernetesEventSink.truncate(exact)).isEqualTo(exact);
  }

  private Event send(Event e) {
    return correlator.correlate(e).orElseThrow();
  }

  private Event warning(String canary, String message) {
    return event(canary, CanaryEvent.Type.WARNING, message);
  }

  private Event normal(String canary, String message) {
    return event(canary, CanaryEvent.Type.NORMAL, message);
  }

  private Event event(String name, CanaryEvent.Type type, String message) {
    return KubernetesEventSink.toEvent(
        new CanaryEvent(
            TestCanaries.named(name),
            CanaryPhase.PROGRESSING,
            type,
            false,
            message,
            clock.instant()));
  }
}
