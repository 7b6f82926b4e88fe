package app.flagger.controller.scheduler;

import app.flagger.controller.events.CanaryEvents;
import app.flagger.controller.observe.CanaryMetricsRecorder;
import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Owns one job per Canary at its analysis interval (Flagger's {@code scheduleCanaries} and {@code
 * CanaryJob}). The control loop creates jobs for new Canaries, replaces a job whose interval
 * changed, stops jobs of deleted Canaries and publishes {@code flagger_canary_total}.
 */
public final class CanaryScheduler {
  private static final Logger LOG = Logger.getLogger(CanaryScheduler.class.getName());

  private record Scheduled(Duration interval, JobScheduler.Job job) {}

  private final JobScheduler jobs;
  private final CanaryAdvancer advancer;
  private final ControllerMetrics metrics;
  private final CanaryMetricsRecorder recorder;
  private final CanaryEvents events;
  private final Duration controlLoopInterval;
  private final Map<String, Canary> canaries = new ConcurrentHashMap<>();
  private final Map<String, Scheduled> scheduled = new HashMap<>();
  private final Set<String> namespacesSeen = ConcurrentHashMap.newKeySet();
  private JobScheduler.Job controlLoop;

  public CanaryScheduler(
      JobScheduler jobs,
      CanaryAdvancer advancer,
      ControllerMetrics metrics,
      CanaryMetricsRecorder recorder,
      CanaryEvents events,
      Duration controlLoopInterval) {
    this.jobs = jobs;
    this.advancer = advancer;
    this.metrics = metrics;
    this.recorder = recorder;
    this.events = events;
    this.controlLoopInterval = controlLoopInterval;
  }

  /** Starts the control loop (once leading). */
  public synchronized void start() {
    if (controlLoop == null) {
      controlLoop = jobs.schedule("control-loop", controlLoopInterval, this::scheduleCanaries);
    }
  }

  /** Stops the control loop and every job. */
  public synchronized void stop() {
    if (controlLoop != null) {
      controlLoop.cancel();
      controlLoop = null;
    }
    scheduled.values().forEach(s -> s.job().cancel());
    scheduled.clear();
    metrics.jobs().set(0);
  }

  /** Adds or replaces a Canary (from the informer). */
  public void put(Canary canary) {
    canaries.put(canary.key(), canary);
  }

  /** Forgets a Canary; its job stops at the next control loop. */
  public void remove(String key) {
    canaries.remove(key);
  }

  /** The keys ({@code name.namespace}) of the Canaries with a job. */
  public synchronized Set<String> jobKeys() {
    return Set.copyOf(scheduled.keySet());
  }

  /** Whether the Canary {@code key} is known. */
  public boolean knows(String key) {
    return canaries.containsKey(key);
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
      scheduled.put(
          c.key(), new Scheduled(interval, jobs.schedule(c.key(), interval, () -> tick(name, ns))));
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

  private void tick(String name, String ns) {
    metrics.ticksInFlight().incrementAndGet();
    long start = System.nanoTime();
    try {
      advancer.advance(name, ns);
    } finally {
      metrics.recordTick(Duration.ofNanos(System.nanoTime() - start));
      metrics.ticksInFlight().decrementAndGet();
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
