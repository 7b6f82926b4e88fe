package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.events.CanaryEvents;
import app.flagger.controller.leader.Leadership;
import app.flagger.controller.observe.CanaryMetricsRecorder;
import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.ManualJobScheduler;
import app.flagger.controller.support.MutableClock;
import app.flagger.controller.support.RegistryReader;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.metrics.FlaggerMetrics;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.helidon.metrics.api.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loop around the tick, without a server: informer events and timers only queue keys, one tick
 * per Canary at a time whatever happens (interval change, Lease lost and regained), removal, and
 * failed syncs coming back with backoff. Keys are processed by hand ({@code threadiness} 0) on the
 * test's threads unless a test starts real workers.
 */
class CanarySchedulerTest {
  static final String KEY = "podinfo.default";

  final MutableClock clock = MutableClock.atEpochDay();
  final ManualJobScheduler jobs = new ManualJobScheduler();
  final Leadership leadership = new Leadership();
  final MeterRegistry registry = MeterRegistry.create();
  final ControllerMetrics metrics = new ControllerMetrics(registry);
  final Map<String, Canary> stored = new ConcurrentHashMap<>();
  final AtomicInteger syncs = new AtomicInteger();
  final AtomicInteger failSyncs = new AtomicInteger();
  final AtomicInteger deletes = new AtomicInteger();
  final AtomicInteger ticks = new AtomicInteger();
  final AtomicInteger ticking = new AtomicInteger();
  final AtomicInteger mostTicking = new AtomicInteger();
  volatile CountDownLatch tickEntered = new CountDownLatch(1);
  volatile CountDownLatch tickGate;
  CanaryScheduler scheduler;

  final CanaryScheduler.Syncer syncer =
      new CanaryScheduler.Syncer() {
        @Override
        public SyncResult sync(String namespace, String name) {
          syncs.incrementAndGet();
          if (failSyncs.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return new SyncResult.Retry("HTTP 500");
          }
          Canary c = stored.get(namespace + "/" + name);
          return c == null ? new SyncResult.Skipped() : new SyncResult.Scheduled(c);
        }

        @Override
        public void deleted(Canary canary) {
          deletes.incrementAndGet();
        }
      };

  /** A tick that records how many run at once and, while a gate is set, podinfo's waits for it. */
  final CanaryScheduler.Ticker ticker =
      (name, namespace) -> {
        ticks.incrementAndGet();
        mostTicking.accumulateAndGet(ticking.incrementAndGet(), Math::max);
        try {
          CountDownLatch gate = tickGate;
          if (gate != null && name.equals("podinfo")) {
            tickEntered.countDown();
            gate.await(60, TimeUnit.SECONDS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          ticking.decrementAndGet();
        }
      };

  CanaryScheduler scheduler(int threadiness) {
    scheduler =
        new CanaryScheduler(
            jobs,
            clock,
            leadership,
            Duration.ofSeconds(10),
            threadiness,
            syncer,
            ticker,
            metrics,
            new CanaryMetricsRecorder(registry),
            new CanaryEvents(clock, List.of()));
    return scheduler;
  }

  @AfterEach
  void tearDown() {
    CountDownLatch gate = tickGate;
    if (gate != null) {
      gate.countDown();
    }
    if (scheduler != null) {
      scheduler.close();
    }
  }

  static Canary canary(String interval) {
    Canary c = new Canary();
    c.setMetadata(new ObjectMetaBuilder().withName("podinfo").withNamespace("default").build());
    c.setSpec(
        CanaryFixture.spec(
            "kubernetes",
            new CanaryAnalysis(
                interval, 1, null, null, null, null, 5, null, null, null, null, null, List.of(),
                List.of(), null, null)));
    return c;
  }

  /** Leading, the Canary synced and its timer created. */
  CanaryScheduler leadingWithTimer(int threadiness) {
    CanaryScheduler s = scheduler(threadiness);
    leadership.acquired();
    s.start();
    Canary c = canary("10s");
    stored.put("default/podinfo", c);
    s.informerHandler().onAdd(c);
    if (threadiness == 0) {
      assertThat(s.processNext()).isTrue();
    } else {
      await().atMost(Duration.ofSeconds(30)).until(() -> s.knows(KEY));
    }
    jobs.run("control-loop");
    assertThat(jobs.entry(KEY).interval()).isEqualTo(Duration.ofSeconds(10));
    return s;
  }

  /** Leading with a timer; it fires and the tick it queued blocks, on a thread of its own. */
  CompletableFuture<Void> leadingWithABlockedTick() throws InterruptedException {
    CanaryScheduler s = leadingWithTimer(0);
    tickGate = new CountDownLatch(1);
    jobs.run(KEY);
    CompletableFuture<Void> first =
        CompletableFuture.runAsync(() -> assertThat(s.processNext()).isTrue());
    assertThat(tickEntered.await(30, TimeUnit.SECONDS)).isTrue();
    return first;
  }

  void release(CompletableFuture<Void> tick) throws Exception {
    CountDownLatch gate = tickGate;
    tickGate = null;
    gate.countDown();
    tick.get(30, TimeUnit.SECONDS);
  }

  @Test
  void informerCallbacksOnlyQueueKeys() {
    CanaryScheduler s = scheduler(0);
    leadership.acquired();
    Canary c = canary("10s");
    stored.put("default/podinfo", c);
    s.informerHandler().onAdd(c);
    s.informerHandler().onUpdate(c, canary("30s"));
    s.informerHandler().onDelete(c, false);
    assertThat(syncs).hasValue(0);
    assertThat(deletes).hasValue(0);
    assertThat(s.processNext()).isTrue();
    assertThat(s.processNext()).as("three events, one key").isFalse();
    assertThat(deletes).hasValue(1);
    assertThat(syncs).hasValue(1);
  }

  @Test
  void anIntervalChangeWhileATickRunsOnlyChangesTheTimer() throws Exception {
    CompletableFuture<Void> first = leadingWithABlockedTick();
    CanaryScheduler s = scheduler;

    // the spec changes to a 20 s interval while the tick waits in a slow webhook
    Canary changed = canary("20s");
    stored.put("default/podinfo", changed);
    s.informerHandler().onUpdate(canary("10s"), changed);
    jobs.run("control-loop");
    assertThat(jobs.entry(KEY).interval()).isEqualTo(Duration.ofSeconds(20));
    // the new timer's first firing, and more: nothing can be taken while the tick runs
    jobs.run(KEY);
    jobs.run(KEY);
    assertThat(s.processNext()).isFalse();
    assertThat(ticks).hasValue(1);

    release(first);
    // then the sync of the new spec and one tick for all the firings, one after the other
    assertThat(s.processNext()).isTrue();
    assertThat(s.processNext()).isFalse();
    assertThat(ticks).hasValue(2);
    assertThat(mostTicking).hasValue(1);
    assertThat(syncs).hasValue(2);
  }

  @Test
  void aLeaseRegainedWhileATickRunsDoesNotStartASecondTick() throws Exception {
    CompletableFuture<Void> first = leadingWithABlockedTick();
    CanaryScheduler s = scheduler;

    leadership.lost();
    s.stop();
    assertThat(jobs.names()).isEmpty();
    assertThat(metrics.jobs()).hasValue(0);
    leadership.acquired();
    s.start();
    jobs.run("control-loop");
    jobs.run(KEY);
    assertThat(s.processNext()).isFalse();
    assertThat(ticks).hasValue(1);

    release(first);
    assertThat(s.processNext()).isTrue();
    assertThat(ticks).hasValue(2);
    assertThat(mostTicking).hasValue(1);
  }

  @Test
  void aTickDueWhenTheLeaseIsLostIsDropped() {
    CanaryScheduler s = leadingWithTimer(0);
    jobs.run(KEY);
    leadership.lost();
    s.stop();
    s.processNext();
    leadership.acquired();
    s.start();
    assertThat(s.processNext()).isFalse();
    assertThat(ticks).hasValue(0);
  }

  @Test
  void aSyncQueuedWhileNotLeadingRunsOnceLeading() {
    CanaryScheduler s = scheduler(0);
    Canary c = canary("10s");
    stored.put("default/podinfo", c);
    s.informerHandler().onAdd(c);
    assertThat(s.processNext()).isTrue();
    assertThat(syncs).as("not leading: kept for later").hasValue(0);
    leadership.acquired();
    s.start();
    assertThat(s.processNext()).isTrue();
    assertThat(syncs).hasValue(1);
    assertThat(s.knows(KEY)).isTrue();
  }

  @Test
  void removalStopsTheTimer() {
    CanaryScheduler s = leadingWithTimer(0);
    jobs.run(KEY);
    s.informerHandler().onDelete(canary("10s"), false);
    assertThat(s.processNext()).isTrue();
    assertThat(deletes).hasValue(1);
    assertThat(ticks).as("the tick due before the deletion is not run").hasValue(0);
    assertThat(s.knows(KEY)).isFalse();
    jobs.run("control-loop");
    assertThat(jobs.names()).containsExactly("control-loop");
    assertThat(s.jobKeys()).isEmpty();
    assertThat(metrics.jobs()).hasValue(0);
  }

  @Test
  void aFailedSyncComesBackWithBackoffAndASuccessForgetsIt() {
    CanaryScheduler s = scheduler(0);
    leadership.acquired();
    s.start();
    Canary c = canary("10s");
    stored.put("default/podinfo", c);
    failSyncs.set(2);
    s.informerHandler().onAdd(c);
    assertThat(s.processNext()).isTrue();
    assertThat(jobs.delayed())
        .singleElement()
        .satisfies(d -> assertThat(d.interval()).isEqualTo(Duration.ofMillis(5)));
    assertThat(s.processNext()).as("waits for its delay").isFalse();

    clock.advance(Duration.ofMillis(5));
    jobs.runDelayed();
    assertThat(s.processNext()).isTrue();
    assertThat(jobs.delayed())
        .singleElement()
        .satisfies(d -> assertThat(d.interval()).isEqualTo(Duration.ofMillis(10)));
    assertThat(s.knows(KEY)).isFalse();

    clock.advance(Duration.ofMillis(10));
    jobs.runDelayed();
    assertThat(s.processNext()).isTrue();
    assertThat(syncs).hasValue(3);
    assertThat(s.knows(KEY)).isTrue();

    // succeeded, so the next failure starts again at 5 ms
    failSyncs.set(1);
    s.informerHandler().onUpdate(c, canary("30s"));
    assertThat(s.processNext()).isTrue();
    assertThat(jobs.delayed())
        .singleElement()
        .satisfies(d -> assertThat(d.interval()).isEqualTo(Duration.ofMillis(5)));
  }

  @Test
  void aTickDuringBackoffRunsWithoutRetryingTheSyncEarly() {
    CanaryScheduler s = leadingWithTimer(0);
    failSyncs.set(1);
    s.informerHandler().onUpdate(canary("10s"), suspended());
    assertThat(s.processNext()).isTrue();
    assertThat(syncs).hasValue(2);

    jobs.run(KEY);
    assertThat(s.processNext()).isTrue();
    assertThat(ticks).hasValue(1);
    assertThat(syncs).as("still backing off").hasValue(2);

    clock.advance(Duration.ofMillis(5));
    jobs.runDelayed();
    assertThat(s.processNext()).isTrue();
    assertThat(syncs).hasValue(3);
  }

  static Canary suspended() {
    Canary c = canary("10s");
    c.setSpec(CanaryFixture.with(c.getSpec(), null, null, true));
    return c;
  }

  @Test
  void aTickRecordsItsLatenessFromTheTimerFiring() {
    CanaryScheduler s = leadingWithTimer(0);
    RegistryReader scrape = new RegistryReader(registry);
    jobs.run(KEY);
    clock.advance(Duration.ofSeconds(3));
    assertThat(s.processNext()).isTrue();
    assertThat(scrape.timerSeconds(FlaggerMetrics.CONTROLLER_TICK_LATENESS.registrationName()))
        .isEqualTo(3.0);
    assertThat(scrape.timer(FlaggerMetrics.CONTROLLER_TICK_DURATION.registrationName()))
        .isEqualTo(1);
    assertThat(metrics.ticksInFlight()).hasValue(0);
  }

  /** Two real workers, a slow tick, and everything that could start a second one meanwhile. */
  @Test
  void workersNeverTickOneCanaryTwiceAtOnce() throws Exception {
    CanaryScheduler s = leadingWithTimer(2);
    tickGate = new CountDownLatch(1);
    jobs.run(KEY);
    assertThat(tickEntered.await(30, TimeUnit.SECONDS)).isTrue();

    Canary changed = canary("20s");
    stored.put("default/podinfo", changed);
    s.informerHandler().onUpdate(canary("10s"), changed);
    jobs.run("control-loop");
    jobs.run(KEY);
    leadership.lost();
    s.stop();
    leadership.acquired();
    s.start();
    jobs.run("control-loop");
    jobs.run(KEY);
    assertThat(s.idle()).isFalse();

    CountDownLatch gate = tickGate;
    tickGate = null;
    gate.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> ticks.get() == 2 && s.idle());
    assertThat(mostTicking).hasValue(1);
    assertThat(jobs.entry(KEY).interval()).isEqualTo(Duration.ofSeconds(20));
  }

  /** A tick waiting on a slow webhook holds no worker: the only worker serves another Canary. */
  @Test
  void aSlowTickHoldsNoWorker() throws Exception {
    CanaryScheduler s = leadingWithTimer(1);
    tickGate = new CountDownLatch(1);
    jobs.run(KEY);
    assertThat(tickEntered.await(30, TimeUnit.SECONDS)).isTrue();

    Canary other = canary("10s");
    other.getMetadata().setName("other");
    stored.put("default/other", other);
    s.informerHandler().onAdd(other);
    await().atMost(Duration.ofSeconds(30)).until(() -> s.knows("other.default"));
    jobs.run("control-loop");
    jobs.run("other.default");

    await().atMost(Duration.ofSeconds(30)).until(() -> ticks.get() == 2);
    assertThat(ticking).as("podinfo is still in its tick").hasValue(1);
  }
}
