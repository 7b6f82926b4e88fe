package app.flagger.controller.tick;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.tick.ReleaseQueue.Admit;
import app.flagger.controller.tick.ReleaseQueue.Wait;
import app.flagger.controller.tick.ReleaseQueue.Waiter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The queue's order and places, without a cluster. */
class ReleaseQueueTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  private static Waiter w(String ns, String name, int secondsAfter) {
    return new Waiter(ns, name, T0.plusSeconds(secondsAfter));
  }

  @Test
  void withoutALimitEveryoneStarts() {
    ReleaseQueue q = new ReleaseQueue(0, 0);
    assertThat(q.limited()).isFalse();
    assertThat(q.judge(w("a", "x", 0), List.of("a", "a", "b"), List.of(w("a", "y", -5))))
        .isInstanceOf(Admit.class);
  }

  @Test
  void aFreeSlotGoesToTheOneWaitingLongestNotToTheOneAsking() {
    ReleaseQueue q = new ReleaseQueue(2, 0);
    // one runs, one slot free: the earlier waiter takes it, so the later one waits 1st in line
    Wait wait = (Wait) q.judge(w("a", "late", 20), List.of("b"), List.of(w("c", "early", 10)));
    assertThat(wait).isEqualTo(new Wait(1, 2, 2, null));
    assertThat(q.judge(w("c", "early", 10), List.of("b"), List.of(w("a", "late", 20))))
        .isInstanceOf(Admit.class);
  }

  @Test
  void placesFollowTheTimeOfWaitingThenNamespaceAndName() {
    ReleaseQueue q = new ReleaseQueue(2, 0);
    List<String> full = List.of("x", "y");
    List<Waiter> others = List.of(w("b", "one", 5), w("a", "two", 5), w("z", "first", 1));
    assertThat(q.judge(w("z", "first", 1), full, others)).isEqualTo(new Wait(1, 2, 2, null));
    assertThat(q.judge(w("a", "two", 5), full, others)).isEqualTo(new Wait(2, 2, 2, null));
    assertThat(q.judge(w("b", "one", 5), full, others)).isEqualTo(new Wait(3, 2, 2, null));
    // one not waiting yet comes last: its time is now
    assertThat(q.judge(w("a", "new", 30), full, others)).isEqualTo(new Wait(4, 2, 2, null));
  }

  @Test
  void theNamespaceLimitHoldsBackOnlyItsNamespace() {
    ReleaseQueue q = new ReleaseQueue(0, 1);
    assertThat(q.judge(w("a", "second", 0), List.of("a"), List.of()))
        .isEqualTo(new Wait(1, 1, 1, "a"));
    assertThat(q.judge(w("b", "other", 0), List.of("a"), List.of(w("a", "second", -10))))
        .isInstanceOf(Admit.class);
  }

  @Test
  void aWaiterHeldByItsNamespaceDoesNotHoldUpTheClusterSlot() {
    ReleaseQueue q = new ReleaseQueue(3, 1);
    // a runs one (its limit), b and c none: "a/early" cannot start, "b/late" takes a slot
    assertThat(q.judge(w("b", "late", 20), List.of("a"), List.of(w("a", "early", 10))))
        .isInstanceOf(Admit.class);
  }

  @Test
  void bothLimitsCount() {
    ReleaseQueue q = new ReleaseQueue(2, 5);
    assertThat(q.judge(w("a", "x", 0), List.of("a", "b"), List.of()))
        .isEqualTo(new Wait(1, 2, 2, null));
  }

  @Test
  void theMessageSaysThePlaceAndWhatRuns() {
    assertThat(new Wait(2, 2, 2, null).message())
        .isEqualTo("Waiting for a release slot: 2nd in line, 2 of 2 running cluster-wide");
    assertThat(new Wait(1, 1, 1, "test").message())
        .isEqualTo("Waiting for a release slot: 1st in line, 1 of 1 running in namespace test");
  }

  @Test
  void ordinalsReadAsEnglish() {
    assertThat(
            List.of(1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111).stream()
                .map(ReleaseQueue::ordinal))
        .containsExactly(
            "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st",
            "111th");
  }
}
