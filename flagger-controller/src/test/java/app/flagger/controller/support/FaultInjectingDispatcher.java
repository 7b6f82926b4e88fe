package app.flagger.controller.support;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps the CRUD dispatcher and answers the next {@code n} requests of a method and path with an
 * error status (the CRUD mock ignores expectations, so faults are injected here). It also counts
 * the requests per method and path, and can hold one request until the test releases it.
 */
public final class FaultInjectingDispatcher extends Dispatcher {
  private record Fault(int code, AtomicInteger remaining) {}

  private record Hold(CountDownLatch arrived, CountDownLatch release, AtomicInteger remaining) {}

  private final Dispatcher delegate;
  private final Map<String, Fault> faults = new ConcurrentHashMap<>();
  private final Map<String, Hold> holds = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final AtomicInteger served = new AtomicInteger();

  public FaultInjectingDispatcher(Dispatcher delegate) {
    this.delegate = delegate;
  }

  /** The next {@code times} {@code method} requests to exactly {@code path} get {@code code}. */
  public void fail(String method, String path, int code, int times) {
    faults.put(method + " " + path, new Fault(code, new AtomicInteger(times)));
  }

  /** How many faults were served. */
  public int served() {
    return served.get();
  }

  /** How many {@code method} requests to exactly {@code path} (query ignored) were received. */
  public int requests(String method, String path) {
    AtomicInteger n = requests.get(method + " " + path);
    return n == null ? 0 : n.get();
  }

  /** The request counts so far, keyed {@code "<method> <path>"}. */
  public Map<String, Integer> requests() {
    Map<String, Integer> out = new java.util.TreeMap<>();
    requests.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Forgets the request counts. */
  public void resetRequests() {
    requests.clear();
  }

  /**
   * The next {@code method} request to {@code path} waits until the returned latch is counted down;
   * {@link #awaitHeld} tells when it arrived.
   */
  public CountDownLatch hold(String method, String path) {
    Hold h = new Hold(new CountDownLatch(1), new CountDownLatch(1), new AtomicInteger(1));
    holds.put(method + " " + path, h);
    return h.release();
  }

  /** Waits until the held request to {@code method} {@code path} arrived. */
  public boolean awaitHeld(String method, String path, long seconds) throws InterruptedException {
    return holds.get(method + " " + path).arrived().await(seconds, TimeUnit.SECONDS);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    int q = path.indexOf('?');
    String key = request.getMethod() + " " + (q < 0 ? path : path.substring(0, q));
    requests.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    Hold h = holds.get(key);
    if (h != null && h.remaining().getAndDecrement() > 0) {
      h.arrived().countDown();
      try {
        h.release().await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Fault f = faults.get(key);
    if (f != null && f.remaining().getAndDecrement() > 0) {
      served.incrementAndGet();
      return new MockResponse()
          .setResponseCode(f.code())
          .setBody(
              "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":"
                  + f.code()
                  + "}");
    }
    return delegate.dispatch(request);
  }
}
