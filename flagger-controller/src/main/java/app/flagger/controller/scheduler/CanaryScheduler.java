package app.flagger.controller.scheduler;

import app.flagger.controller.events.CanaryEvents;
import app.flagger.controller.leader.Leadership;
import app.flagger.controller.observe.CanaryMetricsRecorder;
import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.controller.workqueue.RateLimiter;
import app.flagger.controller.workqueue.WorkQueue;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The loop around the tick, in client-go's shape. Informer events and timers only put a Canary's
 * key on one work queue ({@link CanaryWorkers}); {@code threadiness} workers take keys and run
 * Flagger's {@code syncHandler} ({@link Syncer}) and the tick ({@link Ticker}), one thing at a time
 * per Canary. The control loop (Flagger's {@code scheduleCanaries}) keeps one timer per synced
 * Canary at its analysis interval: it creates timers for new Canaries, replaces a timer whose
 * interval changed, stops timers of deleted Canaries and publishes {@code flagger_canary_total}.
 * The loop, the timers and the workers run only while leading.
 */
public final class CanaryScheduler {
  private static final Logger LOG = Logger.getLogger(CanaryScheduler.class.getName());

  /**
   * How long a shutdown waits for the ticks in flight: 20 s, so that within the pod's 30 s grace
   * period the queued Events (5 s) and the Lease release still happen before the kubelet kills it.
   */
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(20);

  /** Flagger's {@code syncHandler} for one Canary: {@link CanarySyncHandler}. */
  public interface Syncer {
    SyncResult sync(String namespace, String name);

    /** The Canary was deleted: forget what is kept about it. */
    void deleted(Canary canary);
  }

  /** One tick of a Canary: {@link CanaryAdvancer#advance}. */
  @FunctionalInterface
  public interface Ticker {
    void advance(String name, String namespace);
  }

  private record Scheduled(Duration interval, JobScheduler.Job job) {}

  private final JobScheduler jobs;
  private final Clock clock;
  private final Syncer syncer;
  private final Ticker ticker;
  private final ControllerMetrics metrics;
  private final CanaryMetricsRecorder recorder;
  private final CanaryEvents events;
  private final Duration controlLoopInterval;
  private final CanaryWorkers workers;
  private final CanaryInformerHandler informerHandler = new CanaryInformerHandler(this);
  private final Map<String, Canary> canaries = new ConcurrentHashMap<>();
  private final Map<String, Scheduled> scheduled = new HashMap<>();
  private final Set<String> namespacesSeen = ConcurrentHashMap.newKeySet();
  private JobScheduler.Job controlLoop;

  /**
   * @param threadiness workers; 0 starts none, so a test processes keys with {@link #processNext}
   */
  public CanaryScheduler(
      JobScheduler jobs,
      Clock clock,
      Leadership leadership,
      Duration controlLoopInterval,
      int threadiness,
      Syncer syncer,
      Ticker ticker,
      ControllerMetrics metrics,
      CanaryMetricsRecorder recorder,
      CanaryEvents events) {
    this.jobs = jobs;
    this.clock = clock;
    this.syncer = syncer;
    this.ticker = ticker;
    this.metrics = metrics;
    this.recorder = recorder;
    this.events = events;
    this.controlLoopInterval = controlLoopInterval;
    WorkQueue<String> queue =
        new WorkQueue<>(
            clock,
            RateLimiter.controllerDefault(clock),
            (delay, wake) -> jobs.once("workqueue", delay, wake));
    this.workers = new CanaryWorkers(queue, clock, leadership, threadiness, new Work());
  }

  /** Starts the control loop and the workers (once leading). */
  public synchronized void start() {
    if (controlLoop == null) {
      controlLoop = jobs.schedule("control-loop", controlLoopInterval, this::scheduleCanaries);
    }
    workers.start();
  }

  /**
   * Stops the control loop, the timers and the workers (the Lease was lost); a tick in flight
   * finishes on its own, and its writes are fenced off.
   */
  public synchronized void stop() {
    if (controlLoop != null) {
      controlLoop.cancel();
      controlLoop = null;
    }
    scheduled.values().forEach(s -> s.job().cancel());
    scheduled.clear();
    metrics.jobs().set(0);
    workers.dropTicks();
    workers.stop();
  }

  /** Stops everything and waits for the ticks in flight (at most 30 s). */
  public void close() {
    stop();
    workers.close(CLOSE_GRACE);
  }

  /** The Canary informer's handler: it only puts keys on the queue. */
  public CanaryInformerHandler informerHandler() {
    return informerHandler;
  }

  /** Queues a sync of the Canary (an informer event). */
  public void enqueueSync(Canary canary) {
    workers.sync(canary.getMetadata().getNamespace(), canary.getMetadata().getName());
  }

  /** Queues the removal of a deleted Canary. */
  public void enqueueDeleted(Canary canary) {
    workers.deleted(canary);
  }

  /** Adds or replaces a Canary. */
  public void put(Canary canary) {
    canaries.put(canary.key(), canary);
  }

  /** Replaces a known Canary, so a changed interval reaches its timer at the next control loop. */
  public void refresh(Canary canary) {
    canaries.computeIfPresent(canary.key(), (k, old) -> canary);
  }

  /** Forgets a Canary: it is not ticked any more, its timer stops at the next control loop. */
  public void remove(String key) {
    canaries.remove(key);
  }

  /** The keys ({@code name.namespace}) of the Canaries with a timer. */
  public synchronized Set<String> jobKeys() {
    return Set.copyOf(scheduled.keySet());
  }

  /** Whether the Canary {@code key} ({@code name.namespace}) is scheduled. */
  public boolean knows(String key) {
    return canaries.containsKey(key);
  }

  /** Tests: processes one ready key on the calling thread; false when none was ready. */
  public boolean processNext() {
    return workers.processNext();
  }

  /** Whether no key is ready or being processed. */
  public boolean idle() {
    return workers.idle();
  }

  /** One pass of the control loop. */
  public synchronized void scheduleCanaries() {
    for (Canary c : canaries.values()) {
      Duration interval = interval(c);
      Scheduled s = scheduled.get(c.key());
      if (s != null && s.interval().equals(interval)) {
        continue;
      }
      if (s != null) {
        s.job().cancel();
      }
      String name = c.getMetadata().getName();
      String ns = c.getMetadata().getNamespace();
      JobScheduler.Job timer =
          jobs.schedule(c.key(), interval, () -> workers.tickDue(ns, name, clock.instant()));
      scheduled.put(c.key(), new Scheduled(interval, timer));
    }
    for (String key : List.copyOf(scheduled.keySet())) {
      if (!canaries.containsKey(key)) {
        scheduled.remove(key).job().cancel();
      }
    }
    metrics.jobs().set(scheduled.size());
    publishTotals();
    warnDuplicateTargets();
  }

  /** What the workers do with a key: the scheduler's set follows each sync's result. */
  private final class Work implements CanaryWorkers.Work {
    @Override
    public void deleted(Canary canary) {
      remove(canary.key());
      syncer.deleted(canary);
    }

    @Override
    public boolean sync(String namespace, String name) {
      return switch (syncer.sync(namespace, name)) {
        case SyncResult.Scheduled s -> {
          put(s.canary());
          yield true;
        }
        case SyncResult.Invalid i -> {
          remove(name + "." + namespace);
          yield true;
        }
        case SyncResult.Skipped s -> true;
        case SyncResult.Retry r -> false;
      };
    }

    @Override
    public void tick(String namespace, String name, Instant due) {
      if (!knows(name + "." + namespace)) {
        return;
      }
      metrics.recordLateness(Duration.between(due, clock.instant()));
      metrics.ticksInFlight().incrementAndGet();
      long start = System.nanoTime();
      try {
        ticker.advance(name, namespace);
      } finally {
        metrics.recordTick(Duration.ofNanos(System.nanoTime() - start));
        metrics.ticksInFlight().decrementAndGet();
      }
    }
  }

  private void publishTotals() {
    Map<String, Long> byNamespace =
        canaries.values().stream()
            .collect(
                Collectors.groupingBy(
                    c -> c.getMetadata().getNamespace(), TreeMap::new, Collectors.counting()));
    namespacesSeen.addAll(byNamespace.keySet());
    for (String ns : namespacesSeen) {
      recorder.setTotal(ns, byNamespace.getOrDefault(ns, 0L).intValue());
    }
  }

  /** Two Canaries on one target fight over it: logged as in Flagger, and a Warning on each. */
  private void warnDuplicateTargets() {
    Map<String, List<Canary>> byTarget =
        canaries.values().stream()
            .filter(c -> c.getSpec() != null && c.getSpec().targetRef() != null)
            .collect(
                Collectors.groupingBy(
                    c -> c.getSpec().targetRef().name() + "." + c.getMetadata().getNamespace()));
    byTarget.forEach(
        (target, list) -> {
          if (list.size() > 1) {
            String msg =
                "Bad things will happen! Found more than one canary with the same target " + target;
            LOG.severe(msg);
            list.forEach(c -> events.warn(c, msg));
          }
        });
  }

  private static Duration interval(Canary c) {
    CanaryAnalysis a = c.getSpec() == null ? null : c.getSpec().analysisOrLegacy();
    return a == null ? CanaryAnalysis.DEFAULT_INTERVAL : a.intervalOrDefault();
  }
}
