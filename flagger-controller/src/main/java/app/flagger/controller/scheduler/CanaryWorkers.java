package app.flagger.controller.scheduler;

import app.flagger.controller.leader.Leadership;
import app.flagger.controller.workqueue.WorkQueue;
import app.flagger.model.canary.Canary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The work queue of Canary keys ({@code namespace/name}) and the workers that take them (Flagger's
 * {@code processNextWorkItem}). Next to each key the queue keeps what it is due for: a sync (an
 * informer event), a tick (its timer fired) or a deletion. A worker takes the key with all of its
 * marks and runs the deletion, then the sync, then the tick; since the queue never hands one key to
 * two workers, everything about one Canary runs one thing at a time, and marks set meanwhile are
 * run after. A failed sync comes back with the queue's backoff; a successful one resets it.
 *
 * <p>A tick does not hold its worker: it runs on a virtual thread of its own and the key stays
 * taken until the tick ends, so a Canary waiting minutes on a slow webhook never delays the syncs
 * or ticks of the others (Flagger runs each Canary's ticks in a goroutine of its own, not on the
 * queue's workers). {@code threadiness} bounds the workers that take keys and run syncs.
 *
 * <p>Workers run only while leading. A worker that finds the Lease lost drops the tick (the timers
 * start again with the Lease), keeps the sync for later and still forgets deleted Canaries (no
 * write). Stopping the workers does not wait for a tick in flight; the queue keeps its key until
 * that tick ends, so workers started again meanwhile cannot tick the same Canary.
 */
final class CanaryWorkers {
  private static final Logger LOG = Logger.getLogger(CanaryWorkers.class.getName());

  /** What a worker does for a key. */
  interface Work {
    void deleted(Canary canary);

    /** Flagger's syncHandler; false when it failed and must be tried again. */
    boolean sync(String namespace, String name);

    void tick(String namespace, String name, Instant due);
  }

  /** What a key is due for. */
  private static final class Marks {
    Canary deleted;
    boolean sync;
    Instant syncNotBefore;
    Instant tickDue;

    boolean empty() {
      return deleted == null && !sync && tickDue == null;
    }
  }

  private final WorkQueue<String> queue;
  private final Clock clock;
  private final Leadership leadership;
  private final int count;
  private final Work work;
  private final Map<String, Marks> marks = new HashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private final ExecutorService ticks =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("canary-tick-", 0).factory());
  private volatile int generation;
  private boolean running;

  /**
   * @param count worker threads; 0 starts none (tests process keys with {@link #processNext})
   */
  CanaryWorkers(WorkQueue<String> queue, Clock clock, Leadership leadership, int count, Work work) {
    this.queue = queue;
    this.clock = clock;
    this.leadership = leadership;
    this.count = count;
    this.work = work;
  }

  static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  void sync(String namespace, String name) {
    mark(
        key(namespace, name),
        m -> {
          m.sync = true;
          m.syncNotBefore = null;
        });
  }

  void deleted(Canary canary) {
    mark(
        key(canary.getMetadata().getNamespace(), canary.getMetadata().getName()),
        m -> m.deleted = canary);
  }

  /** A timer fired at {@code due}; a tick already due keeps its earlier time. */
  void tickDue(String namespace, String name, Instant due) {
    mark(
        key(namespace, name),
        m -> {
          if (m.tickDue == null) {
            m.tickDue = due;
          }
        });
  }

  private void mark(String key, Consumer<Marks> change) {
    synchronized (marks) {
      change.accept(marks.computeIfAbsent(key, k -> new Marks()));
    }
    queue.add(key);
  }

  /** Forgets the ticks due (the timers stopped). */
  void dropTicks() {
    synchronized (marks) {
      marks.values().forEach(m -> m.tickDue = null);
      marks.values().removeIf(Marks::empty);
    }
  }

  /** Starts the workers (again), queueing every key that still has something due. */
  synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    int gen = ++generation;
    List<String> pending;
    synchronized (marks) {
      pending = List.copyOf(marks.keySet());
    }
    pending.forEach(queue::add);
    threads.removeIf(t -> !t.isAlive());
    for (int i = 0; i < count; i++) {
      threads.add(
          Thread.ofPlatform()
              .daemon()
              .name("canary-worker-" + gen + "-" + i)
              .start(() -> loop(gen)));
    }
  }

  /** Tells the workers to stop after what they are doing; does not wait. */
  synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    generation++;
    queue.wakeWaiters();
  }

  /** Stops the workers and waits up to {@code grace} for the ticks in flight, then the queue. */
  void close(Duration grace) {
    stop();
    List<Thread> all;
    synchronized (this) {
      all = List.copyOf(threads);
    }
    long deadline = System.nanoTime() + grace.toNanos();
    ticks.shutdown();
    try {
      for (Thread t : all) {
        t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      }
      ticks.awaitTermination(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    queue.shutDown();
  }

  private void loop(int gen) {
    while (true) {
      String key = queue.get(() -> generation != gen);
      if (key == null) {
        return;
      }
      run(key, true);
    }
  }

  /** Takes one ready key and processes it on the calling thread; false when none was ready. */
  boolean processNext() {
    String key = queue.poll();
    if (key == null) {
      return false;
    }
    run(key, false);
    return true;
  }

  /** Whether no key is ready or being processed. */
  boolean idle() {
    return queue.idle();
  }

  /**
   * Processes a key; with {@code tickApart} its tick runs on a virtual thread of its own, which
   * gives the key back when the tick ends (tests tick inline).
   */
  private void run(String key, boolean tickApart) {
    boolean handedOff = false;
    try {
      Runnable tick = process(key);
      if (tick != null && tickApart) {
        ticks.execute(() -> finish(key, tick));
        handedOff = true;
      } else if (tick != null) {
        tick.run();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "processing " + key + " failed: " + e.getMessage(), e);
    } finally {
      if (!handedOff) {
        queue.done(key);
      }
    }
  }

  private void finish(String key, Runnable tick) {
    try {
      tick.run();
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "tick of " + key + " failed: " + e.getMessage(), e);
    } finally {
      queue.done(key);
    }
  }

  /** Runs the deletion and the sync due for {@code key}; returns its tick when one is due. */
  private Runnable process(String key) {
    Marks m;
    synchronized (marks) {
      m = marks.remove(key);
    }
    if (m == null) {
      return null;
    }
    int slash = key.indexOf('/');
    String ns = key.substring(0, slash);
    String name = key.substring(slash + 1);
    if (m.deleted != null) {
      work.deleted(m.deleted);
    }
    if (m.sync) {
      sync(key, ns, name, m.syncNotBefore);
    }
    if (m.tickDue != null && leadership.leading()) {
      Instant due = m.tickDue;
      return () -> work.tick(ns, name, due);
    }
    return null;
  }

  private void sync(String key, String ns, String name, Instant notBefore) {
    Instant now = clock.instant();
    if (!leadership.leading()) {
      keepSync(key, notBefore);
    } else if (notBefore != null && now.isBefore(notBefore)) {
      // still backing off: the key came for a tick; its delayed add comes at notBefore
      keepSync(key, notBefore);
      queue.addAfter(key, Duration.between(now, notBefore));
    } else if (work.sync(ns, name)) {
      queue.forget(key);
    } else {
      Duration delay = queue.addRateLimited(key);
      keepSync(key, now.plus(delay));
      LOG.fine(() -> "sync of " + key + " failed, retrying in " + delay);
    }
  }

  /** Keeps a sync due, unless a newer event asked for one meanwhile (that one runs at once). */
  private void keepSync(String key, Instant notBefore) {
    synchronized (marks) {
      Marks m = marks.computeIfAbsent(key, k -> new Marks());
      if (!m.sync) {
        m.sync = true;
        m.syncNotBefore = notBefore;
      }
    }
  }
}
