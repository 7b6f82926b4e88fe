package app.flagger.controller.client;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * At most {@code limit} requests in flight to one origin ({@code scheme://host:port}) at a time,
 * across every Canary: a thousand Canaries whose ticks fall due together (after a restart, or with
 * the same interval) then queue here instead of opening a thousand connections to one Prometheus or
 * one load tester. A request waits for its permit within its own timeout; one that cannot get it in
 * time fails like a request that timed out.
 */
public final class HostPermits {
  /** The most origins tracked; beyond that, origins with nothing in flight are forgotten. */
  static final int MAX_ORIGINS = 1024;

  private final int limit;
  private final Map<String, Semaphore> origins = new ConcurrentHashMap<>();

  /**
   * @param limit requests in flight to one origin, at least 1
   */
  public HostPermits(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    this.limit = limit;
  }

  public int limit() {
    return limit;
  }

  /** A permit taken; closing it gives it back. */
  public interface Permit extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Waits up to {@code wait} for a permit to send to {@code origin} ({@code scheme://host:port}).
   *
   * @return the permit, or null when {@code limit} requests stayed in flight for all of {@code
   *     wait}
   * @throws InterruptedException when the waiting thread is interrupted (a deadline passed)
   */
  public Permit acquire(String origin, Duration wait) throws InterruptedException {
    Semaphore permits = origins.computeIfAbsent(origin, o -> new Semaphore(limit, true));
    if (!permits.tryAcquire(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS)) {
      return null;
    }
    forgetIdle();
    return permits::release;
  }

  /** Requests in flight to {@code origin} now (tests and diagnostics). */
  public int inFlight(String origin) {
    Semaphore permits = origins.get(origin);
    return permits == null ? 0 : limit - permits.availablePermits();
  }

  private void forgetIdle() {
    if (origins.size() > MAX_ORIGINS) {
      origins.values().removeIf(s -> s.availablePermits() == limit);
    }
  }
}
