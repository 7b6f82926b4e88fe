package app.flagger.controller.workqueue;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** client-go's work queue semantics, on a manual clock and hand-run delays. */
class WorkQueueTest {
  final MutableClock clock = MutableClock.atEpochDay();
  final List<Runnable> wakeUps = new ArrayList<>();
  final List<Duration> delays = new ArrayList<>();

  WorkQueue<String> queue(RateLimiter<String> limiter) {
    return new WorkQueue<>(
        clock,
        limiter,
        (delay, task) -> {
          delays.add(delay);
          wakeUps.add(task);
        });
  }

  WorkQueue<String> queue() {
    return queue(RateLimiter.controllerDefault(clock));
  }

  /** Runs the wake-ups asked for so far (those asked for while running wait for the next call). */
  void runWakeUps() {
    List<Runnable> now = List.copyOf(wakeUps);
    wakeUps.clear();
    now.forEach(Runnable::run);
  }

  @Test
  void anItemAddedTwiceWhileWaitingIsHandedOutOnce() {
    WorkQueue<String> q = queue();
    q.add("default/podinfo");
    q.add("default/other");
    q.add("default/podinfo");
    assertThat(q.len()).isEqualTo(2);
    assertThat(q.poll()).isEqualTo("default/podinfo");
    assertThat(q.poll()).isEqualTo("default/other");
    assertThat(q.poll()).isNull();
  }

  @Test
  void anItemIsNeverHandedToTwoWorkersAtOnce() {
    WorkQueue<String> q = queue();
    q.add("default/podinfo");
    assertThat(q.poll()).isEqualTo("default/podinfo");
    q.add("default/podinfo");
    q.add("default/podinfo");
    assertThat(q.len()).as("added while processing: held back").isZero();
    assertThat(q.poll()).isNull();
    q.done("default/podinfo");
    assertThat(q.poll()).as("re-queued once after done").isEqualTo("default/podinfo");
    q.done("default/podinfo");
    assertThat(q.poll()).isNull();
    assertThat(q.idle()).isTrue();
  }

  @Test
  void aBlockedGetReturnsTheItemReAddedAfterDone() throws Exception {
    WorkQueue<String> q = queue();
    q.add("default/podinfo");
    String first = q.poll();
    q.add("default/podinfo");
    CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> q.get(() -> false));
    assertThat(second).isNotDone();
    q.done(first);
    assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo("default/podinfo");
  }

  @Test
  void aWaitingGetReturnsNullOnceItsStopConditionHolds() throws Exception {
    WorkQueue<String> q = queue();
    var stop = new java.util.concurrent.atomic.AtomicBoolean();
    CompletableFuture<String> taken = CompletableFuture.supplyAsync(() -> q.get(stop::get));
    stop.set(true);
    q.wakeWaiters();
    assertThat(taken.get(30, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void afterShutDownNothingIsAddedAndWorkersDrainTheRest() {
    WorkQueue<String> q = queue();
    q.add("default/a");
    q.shutDown();
    q.add("default/b");
    q.addAfter("default/c", Duration.ofSeconds(1));
    assertThat(q.get(() -> false)).isEqualTo("default/a");
    assertThat(q.get(() -> false)).isNull();
    assertThat(wakeUps).isEmpty();
  }

  @Test
  void aDelayedItemIsAddedOnceItsTimeHasComeByTheClock() {
    WorkQueue<String> q = queue();
    q.addAfter("default/podinfo", Duration.ofSeconds(2));
    assertThat(delays).containsExactly(Duration.ofSeconds(2));
    assertThat(q.isWaiting("default/podinfo")).isTrue();

    clock.advance(Duration.ofSeconds(1));
    runWakeUps(); // early: nothing moves, a wake-up for the rest is asked for
    assertThat(q.len()).isZero();
    assertThat(delays).last().isEqualTo(Duration.ofSeconds(1));

    clock.advance(Duration.ofSeconds(1));
    runWakeUps();
    assertThat(q.isWaiting("default/podinfo")).isFalse();
    assertThat(q.poll()).isEqualTo("default/podinfo");
  }

  @Test
  void aWaitingItemKeepsTheEarlierOfTwoTimes() {
    WorkQueue<String> q = queue();
    q.addAfter("default/podinfo", Duration.ofSeconds(10));
    q.addAfter("default/podinfo", Duration.ofSeconds(20));
    q.addAfter("default/podinfo", Duration.ofSeconds(3));
    clock.advance(Duration.ofSeconds(3));
    runWakeUps();
    assertThat(q.poll()).isEqualTo("default/podinfo");
  }

  @Test
  void aFailingItemBacksOffFrom5MillisDoublingUpTo1000Seconds() {
    WorkQueue<String> q =
        queue(
            new ItemExponentialFailureRateLimiter<>(
                Duration.ofMillis(5), Duration.ofSeconds(1000)));
    List<Duration> seen = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      seen.add(q.addRateLimited("default/podinfo"));
    }
    assertThat(seen.subList(0, 5))
        .containsExactly(
            Duration.ofMillis(5),
            Duration.ofMillis(10),
            Duration.ofMillis(20),
            Duration.ofMillis(40),
            Duration.ofMillis(80));
    // 5 ms * 2^17 = 655.36 s, then the cap
    assertThat(seen.get(17)).isEqualTo(Duration.ofMillis(655_360));
    assertThat(seen.subList(18, 30)).containsOnly(Duration.ofSeconds(1000));
    assertThat(q.numRequeues("default/podinfo")).isEqualTo(30);
    assertThat(q.addRateLimited("default/other")).as("per item").isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void forgettingAnItemResetsItsBackoff() {
    WorkQueue<String> q = queue();
    q.addRateLimited("default/podinfo");
    q.addRateLimited("default/podinfo");
    assertThat(q.addRateLimited("default/podinfo")).isEqualTo(Duration.ofMillis(20));
    q.forget("default/podinfo");
    assertThat(q.numRequeues("default/podinfo")).isZero();
    assertThat(q.addRateLimited("default/podinfo")).isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void theOverallBucketAllowsABurstOf100ThenTenASecond() {
    RateLimiter<String> limiter = RateLimiter.controllerDefault(clock);
    for (int i = 0; i < 100; i++) {
      // every item fails for the first time: only the 5 ms item backoff
      assertThat(limiter.when("default/canary-" + i)).isEqualTo(Duration.ofMillis(5));
    }
    assertThat(limiter.when("default/canary-100")).isEqualTo(Duration.ofMillis(100));
    assertThat(limiter.when("default/canary-101")).isEqualTo(Duration.ofMillis(200));
    clock.advance(Duration.ofSeconds(1));
    // ten permits came back, two of them were already promised
    for (int i = 102; i < 110; i++) {
      assertThat(limiter.when("default/canary-" + i)).isEqualTo(Duration.ofMillis(5));
    }
    assertThat(limiter.when("default/canary-110")).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void theDefaultLimiterTakesTheLongerOfBackoffAndBucket() {
    RateLimiter<String> limiter = RateLimiter.controllerDefault(clock);
    for (int i = 0; i < 12; i++) {
      limiter.when("default/podinfo");
    }
    // the 13th failure: item backoff 5 ms * 2^12 = 20.48 s beats the bucket's wait
    assertThat(limiter.when("default/podinfo")).isEqualTo(Duration.ofMillis(20_480));
    assertThat(limiter.numRequeues("default/podinfo")).isEqualTo(13);
    limiter.forget("default/podinfo");
    assertThat(limiter.numRequeues("default/podinfo")).isZero();
  }
}
