package app.flagger.controller.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.support.CanaryFixture;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.webhook.CanaryWebhookPayload;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import jakarta.json.Json;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The event webhook's background posting. */
class EventWebhookSinkTest {
  static Canary canary(String name) {
    Canary c = new Canary();
    c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("test").build());
    c.setSpec(CanaryFixture.spec("istio", CanaryFixture.analysis(10, null, null, 5, List.of())));
    return c;
  }

  static CanaryEvent event(Canary canary, int i) {
    return new CanaryEvent(
        canary,
        CanaryPhase.PROGRESSING,
        CanaryEvent.Type.NORMAL,
        false,
        "event " + i,
        Instant.ofEpochSecond(i));
  }

  static String message(String json) {
    return Json.createReader(new StringReader(json))
        .readObject()
        .getJsonObject("metadata")
        .getString(CanaryWebhookPayload.EVENT_MESSAGE);
  }

  /**
   * The first post is held until a second one arrives (or a second passes): were two posts of the
   * same Canary sent at once, the second would overtake the first.
   */
  @Test
  void aCanarysEventsArriveInTheOrderTheyHappened() {
    List<String> arrived = new CopyOnWriteArrayList<>();
    Semaphore inFlight = new Semaphore(0);
    AtomicInteger posts = new AtomicInteger();
    EventWebhookSink sink =
        new EventWebhookSink(
            "http://receiver/events",
            (url, json, timeout, retries, insecure) -> {
              if (posts.getAndIncrement() == 0) {
                try {
                  inFlight.tryAcquire(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              } else {
                inFlight.release();
              }
              arrived.add(message(json));
              return Optional.empty();
            },
            100,
            () -> {});
    try {
      Canary podinfo = canary("podinfo");
      IntStream.range(0, 10).forEach(i -> sink.record(event(podinfo, i)));
      await().atMost(Duration.ofMinutes(1)).until(() -> arrived.size() == 10);
      assertThat(arrived)
          .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> "event " + i).toList());
    } finally {
      sink.close();
    }
  }

  /** A receiver stuck on one Canary's event does not hold back every other Canary's. */
  @Test
  void aStuckPostHoldsBackOnlyItsOwnCanarysQueue() {
    List<String> arrived = new CopyOnWriteArrayList<>();
    Semaphore release = new Semaphore(0);
    EventWebhookSink sink =
        new EventWebhookSink(
            "http://receiver/events",
            (url, json, timeout, retries, insecure) -> {
              if (message(json).equals("stuck")) {
                release.acquireUninterruptibly();
              }
              arrived.add(message(json));
              return Optional.empty();
            },
            100,
            () -> {});
    try {
      Canary stuck = canary("stuck");
      sink.record(
          new CanaryEvent(
              stuck,
              CanaryPhase.PROGRESSING,
              CanaryEvent.Type.NORMAL,
              false,
              "stuck",
              Instant.EPOCH));
      // canaries on other workers than "stuck"'s still get theirs
      List<Canary> others = IntStream.range(0, 20).mapToObj(i -> canary("app-" + i)).toList();
      others.forEach(c -> sink.record(event(c, 0)));
      await().atMost(Duration.ofMinutes(1)).until(() -> arrived.size() >= 10);
      assertThat(arrived).doesNotContain("stuck");
      release.release();
      await().atMost(Duration.ofMinutes(1)).until(() -> arrived.contains("stuck"));
    } finally {
      sink.close();
    }
  }
}
