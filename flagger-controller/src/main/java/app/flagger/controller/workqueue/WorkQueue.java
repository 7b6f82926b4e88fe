package app.flagger.controller.workqueue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * client-go's rate-limited work queue ({@code workqueue.NewRateLimitingQueue}), with its
 * guarantees:
 *
 * <ul>
 *   <li>an item added while it waits is not added twice (the {@code dirty} set);
 *   <li>an item is never handed to two workers at once: one added while a worker processes it
 *       (between {@link #get} and {@link #done}) is handed out again only after {@link #done};
 *   <li>{@link #addAfter} adds an item once its delay has passed (an item already waiting keeps the
 *       earlier of the two times), {@link #addRateLimited} with the delay its {@link RateLimiter}
 *       gives, and {@link #forget} resets that delay after a success;
 *   <li>after {@link #shutDown} nothing is added, and workers still get what was queued.
 * </ul>
 *
 * <p>Times come from the {@link Clock}; a delayed item is moved into the queue by a wake-up run
 * through {@link Delays}, which moves every item whose time has come by the clock and asks for a
 * wake-up at the next one.
 */
public final class WorkQueue<T> {
  private final Clock clock;
  private final RateLimiter<T> limiter;
  private final Delays delays;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<T> queue = new ArrayDeque<>();
  private final Set<T> dirty = new HashSet<>();
  private final Set<T> processing = new HashSet<>();
  private final Map<T, Instant> waiting = new HashMap<>();
  private Instant wakeAt;
  private boolean shuttingDown;

  public WorkQueue(Clock clock, RateLimiter<T> limiter, Delays delays) {
    this.clock = clock;
    this.limiter = limiter;
    this.delays = delays;
  }

  /** Queues {@code item} unless it is queued already; while it is processed, queues it after. */
  public void add(T item) {
    lock.lock();
    try {
      addLocked(item);
    } finally {
      lock.unlock();
    }
  }

  private void addLocked(T item) {
    if (shuttingDown || !dirty.add(item) || processing.contains(item)) {
      return;
    }
    queue.addLast(item);
    changed.signalAll();
  }

  /** Adds {@code item} once {@code delay} has passed (at once when it is zero or negative). */
  public void addAfter(T item, Duration delay) {
    if (delay.isNegative() || delay.isZero()) {
      add(item);
      return;
    }
    Instant at;
    lock.lock();
    try {
      if (shuttingDown) {
        return;
      }
      at = clock.instant().plus(delay);
      Instant known = waiting.get(item);
      if (known != null && !at.isBefore(known)) {
        return;
      }
      waiting.put(item, at);
      if (wakeAt != null && !at.isBefore(wakeAt)) {
        return;
      }
      wakeAt = at;
    } finally {
      lock.unlock();
    }
    delays.after(delay, () -> wake(at));
  }

  /**
   * Adds {@code item} after the delay its rate limiter gives (one more failure of it); returns that
   * delay.
   */
  public Duration addRateLimited(T item) {
    Duration delay = limiter.when(item);
    addAfter(item, delay);
    return delay;
  }

  /** Resets the backoff of {@code item}: it was processed successfully. */
  public void forget(T item) {
    limiter.forget(item);
  }

  /** How many times {@code item} was added rate-limited since it was last forgotten. */
  public int numRequeues(T item) {
    return limiter.numRequeues(item);
  }

  /**
   * Takes the next item, waiting for one; {@code null} once {@code stop} is true (checked whenever
   * the queue changes and after {@link #wakeWaiters}), once shut down and empty, or when the thread
   * is interrupted. The caller must call {@link #done} with the item.
   */
  public T get(BooleanSupplier stop) {
    lock.lock();
    try {
      while (queue.isEmpty() && !shuttingDown && !stop.getAsBoolean()) {
        changed.await();
      }
      if (stop.getAsBoolean() || queue.isEmpty()) {
        return null;
      }
      return takeLocked();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** Takes the next item if there is one, without waiting; the caller must call {@link #done}. */
  public T poll() {
    lock.lock();
    try {
      return queue.isEmpty() ? null : takeLocked();
    } finally {
      lock.unlock();
    }
  }

  private T takeLocked() {
    T item = queue.pollFirst();
    processing.add(item);
    dirty.remove(item);
    return item;
  }

  /** Marks {@code item} processed; if it was added meanwhile, queues it again. */
  public void done(T item) {
    lock.lock();
    try {
      processing.remove(item);
      if (dirty.contains(item)) {
        queue.addLast(item);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every {@link #get} so it checks its stop condition again. */
  public void wakeWaiters() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Stops accepting items; {@link #get} still hands out what is queued, then returns null. */
  public void shutDown() {
    lock.lock();
    try {
      shuttingDown = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Items ready to be handed out. */
  public int len() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Whether nothing is ready to be handed out and nothing is being processed. */
  public boolean idle() {
    lock.lock();
    try {
      return queue.isEmpty() && processing.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@code item} waits for its delay to pass. */
  public boolean isWaiting(T item) {
    lock.lock();
    try {
      return waiting.containsKey(item);
    } finally {
      lock.unlock();
    }
  }

  /** Moves the delayed items whose time has come, then asks for a wake-up at the next one. */
  private void wake(Instant at) {
    Instant next = null;
    Duration until;
    lock.lock();
    try {
      if (at.equals(wakeAt)) {
        wakeAt = null;
      }
      Instant now = clock.instant();
      List<Map.Entry<T, Instant>> due = new ArrayList<>();
      for (Iterator<Map.Entry<T, Instant>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<T, Instant> e = it.next();
        if (e.getValue().isAfter(now)) {
          next = next == null || e.getValue().isBefore(next) ? e.getValue() : next;
        } else {
          due.add(Map.entry(e.getKey(), e.getValue()));
          it.remove();
        }
      }
      due.sort(Map.Entry.comparingByValue());
      due.forEach(e -> addLocked(e.getKey()));
      if (next == null || shuttingDown || (wakeAt != null && !next.isBefore(wakeAt))) {
        return;
      }
      wakeAt = next;
      until = Duration.between(now, next);
    } finally {
      lock.unlock();
    }
    Instant nextWake = next;
    delays.after(until, () -> wake(nextWake));
  }
}
