package app.flagger.controller.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.support.FaultInjectingDispatcher;
import app.flagger.controller.support.MockApiServer;
import app.flagger.controller.support.MutableClock;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes Events are queued by the tick and created in order by one worker: a slow API server
 * never holds a tick, a full queue drops and counts, a shutdown creates what is queued.
 */
class KubernetesEventSinkKubeTest {
  private static final String POST = "POST";
  private static final String EVENTS = "/api/v1/namespaces/test/events";

  private final AtomicInteger dropped = new AtomicInteger();
  private final AtomicInteger spam = new AtomicInteger();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
  private final Canary canary = TestCanaries.named("podinfo");
  private MockApiServer server;
  private FaultInjectingDispatcher api;
  private KubernetesClient client;
  private KubernetesEventSink sink;

  @BeforeEach
  void start() {
    server = MockApiServer.start();
    api = server.api();
    client = new KubernetesClientBuilder().withConfig(server.config(0)).build();
  }

  @AfterEach
  void stop() {
    if (sink != null) {
      sink.close(Duration.ofSeconds(30));
    }
    client.close();
    server.close();
  }

  @Test
  void recordReturnsAtOnceAndOneWorkerCreatesTheEventsInOrder() throws Exception {
    sink = sink(10);
    CountDownLatch first = api.hold(POST, EVENTS);
    sink.record(event("one"));
    sink.record(event("two"));
    sink.record(event("three"));
    // the three calls returned while the API server holds the first create
    assertThat(api.awaitHeld(POST, EVENTS, 60)).isTrue();
    assertThat(sink.depth()).isEqualTo(2);

    // one create at a time: the second is sent only once the first is answered
    // (a held request blocks the mock server, so the test reads counts, not the API)
    CountDownLatch second = api.hold(POST, EVENTS);
    first.countDown();
    assertThat(api.awaitHeld(POST, EVENTS, 60)).isTrue();
    assertThat(api.requests(POST, EVENTS)).isEqualTo(2);
    assertThat(sink.depth()).isEqualTo(1);

    second.countDown();
    await().atMost(Duration.ofSeconds(60)).until(() -> messages().size() == 3);
    assertThat(messages()).containsExactly("one", "two", "three");
    assertThat(api.requests(POST, EVENTS)).isEqualTo(3);
    assertThat(dropped).hasValue(0);
  }

  @Test
  void theEventCarriesFlaggersFields() {
    sink = sink(10);
    sink.record(
        new CanaryEvent(
            canary,
            CanaryPhase.FAILED,
            CanaryEvent.Type.WARNING,
            true,
            "Canary failed! Scaling down podinfo.test",
            Instant.parse("2026-11-27T10:00:00Z")));
    await().atMost(Duration.ofSeconds(60)).until(() -> events().size() == 1);
    Event e = events().getFirst();
    assertThat(e.getMetadata().getName()).startsWith("podinfo.");
    assertThat(e.getReason()).isEqualTo("Synced");
    assertThat(e.getType()).isEqualTo("Warning");
    assertThat(e.getMessage()).isEqualTo("Canary failed! Scaling down podinfo.test");
    assertThat(e.getSource().getComponent()).isEqualTo("flagger");
    assertThat(e.getInvolvedObject().getKind()).isEqualTo("Canary");
    assertThat(e.getInvolvedObject().getApiVersion()).isEqualTo("flagger.app/v1beta1");
    assertThat(e.getInvolvedObject().getName()).isEqualTo("podinfo");
    assertThat(e.getInvolvedObject().getUid()).isEqualTo("uid-podinfo");
    assertThat(e.getFirstTimestamp()).isEqualTo("2026-11-27T10:00:00Z");
    assertThat(e.getCount()).isEqualTo(1);
  }

  @Test
  void aFullQueueDropsTheEventAndCountsIt() throws Exception {
    sink = sink(1);
    CountDownLatch held = api.hold(POST, EVENTS);
    sink.record(event("in flight"));
    assertThat(api.awaitHeld(POST, EVENTS, 60)).isTrue();
    sink.record(event("queued"));
    sink.record(event("dropped"));
    assertThat(dropped).hasValue(1);
    assertThat(sink.depth()).isEqualTo(1);

    held.countDown();
    await().atMost(Duration.ofSeconds(60)).until(() -> messages().size() == 2);
    assertThat(messages()).containsExactly("in flight", "queued");
  }

  @Test
  void aFailedCreateIsLoggedAndTheWorkerGoesOn() {
    sink = sink(10);
    api.fail(POST, EVENTS, 500, 1);
    sink.record(event("lost to a 500"));
    sink.record(event("after the 500"));
    await().atMost(Duration.ofSeconds(60)).until(() -> messages().contains("after the 500"));
    assertThat(messages()).containsExactly("after the 500");
    assertThat(api.served()).isEqualTo(1);
  }

  @Test
  void closeCreatesWhatIsStillQueued() {
    sink = sink(100);
    // twenty Canaries: twenty events of one Canary would be combined after the tenth
    for (int i = 0; i < 20; i++) {
      sink.record(event(TestCanaries.named("podinfo-" + i), CanaryEvent.Type.NORMAL, "event " + i));
    }
    sink.close(Duration.ofSeconds(60));
    assertThat(messages()).hasSize(20);
    assertThat(sink.depth()).isZero();
  }

  @Test
  void aQueueWithoutRoomIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> sink(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity");
  }

  /** client-go's recorder: one Event per repeated event, its count and lastTimestamp patched. */
  @Test
  void aWarningRecordedFiveTimesIsOneEventWithCountFive() {
    sink = sink(10);
    for (int i = 0; i < 5; i++) {
      sink.record(warning("podinfo-primary.test not ready"));
      clock.advance(Duration.ofMinutes(1));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> countOfTheOnlyEvent() == 5);

    Event e = events().getFirst();
    assertThat(e.getFirstTimestamp()).isEqualTo("2026-11-27T10:00:00Z");
    assertThat(e.getLastTimestamp()).isEqualTo("2026-11-27T10:04:00Z");
    assertThat(e.getMessage()).isEqualTo("podinfo-primary.test not ready");
    assertThat(e.getType()).isEqualTo("Warning");
    assertThat(api.requests(POST, EVENTS)).isEqualTo(1);
    // PATCHes only: RBAC grants create and patch on events, not get
    assertThat(api.requests("PATCH", EVENTS + "/" + e.getMetadata().getName())).isEqualTo(4);
    assertThat(api.requests("GET", EVENTS + "/" + e.getMetadata().getName())).isZero();
  }

  /** The API server deletes Events after its event TTL; the next repeat creates it again. */
  @Test
  void aRepeatOfAnEventTheServerDeletedCreatesItAgain() {
    sink = sink(10);
    sink.record(warning("podinfo-primary.test not ready"));
    await().atMost(Duration.ofSeconds(60)).until(() -> events().size() == 1);
    String name = events().getFirst().getMetadata().getName();
    client.v1().events().inNamespace("test").withName(name).delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> events().isEmpty());

    clock.advance(Duration.ofMinutes(1));
    sink.record(warning("podinfo-primary.test not ready"));

    await().atMost(Duration.ofSeconds(60)).until(() -> countOfTheOnlyEvent() == 2);
    assertThat(events().getFirst().getMetadata().getName()).isEqualTo(name);
    assertThat(events().getFirst().getLastTimestamp()).isEqualTo("2026-11-27T10:01:00Z");
  }

  @Test
  void eventsOverTheSpamBudgetAreDroppedAndCounted() {
    sink = sink(100);
    for (int i = 0; i < 30; i++) {
      sink.record(warning("podinfo-primary.test not ready"));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> countOfTheOnlyEvent() == 25);
    assertThat(spam).hasValue(5);
    assertThat(dropped).hasValue(0);

    // one more token five minutes later: the Event then counts every occurrence
    clock.advance(Duration.ofMinutes(5));
    sink.record(warning("podinfo-primary.test not ready"));
    await().atMost(Duration.ofSeconds(60)).until(() -> countOfTheOnlyEvent() == 31);
  }

  /** The Event's message is cut to 1 KiB; the other sinks get the whole text. */
  @Test
  void aLongMessageIsCutToOneKibibyteInTheEventOnly() {
    sink = sink(10);
    List<String> whole = new java.util.concurrent.CopyOnWriteArrayList<>();
    CanaryEvents events = new CanaryEvents(clock, List.of(sink, e -> whole.add(e.message())));
    String message = "Halt advancement: " + "x".repeat(3000);

    events.warn(canary, message);

    await().atMost(Duration.ofSeconds(60)).until(() -> events().size() == 1);
    assertThat(events().getFirst().getMessage()).isEqualTo(message.substring(0, 1024));
    assertThat(whole).containsExactly(message);
  }

  private int countOfTheOnlyEvent() {
    List<Event> all = events();
    return all.size() == 1 ? all.getFirst().getCount() : -all.size();
  }

  private KubernetesEventSink sink(int capacity) {
    return new KubernetesEventSink(
        client, clock, capacity, dropped::incrementAndGet, spam::incrementAndGet);
  }

  private CanaryEvent event(String message) {
    return event(canary, CanaryEvent.Type.NORMAL, message);
  }

  private CanaryEvent warning(String message) {
    return event(canary, CanaryEvent.Type.WARNING, message);
  }

  private CanaryEvent event(Canary on, CanaryEvent.Type type, String message) {
    return new CanaryEvent(on, CanaryPhase.PROGRESSING, type, false, message, clock.instant());
  }

  private List<Event> events() {
    return client.v1().events().inNamespace("test").list().getItems();
  }

  /** The messages of the stored events, in the order the API server stored them. */
  private List<String> messages() {
    return events().stream()
        .sorted(
            java.util.Comparator.comparingLong(
                (Event e) -> Long.parseLong(e.getMetadata().getResourceVersion())))
        .map(Event::getMessage)
        .toList();
  }
}
