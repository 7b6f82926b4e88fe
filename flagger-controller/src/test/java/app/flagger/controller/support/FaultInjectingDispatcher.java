package app.flagger.controller.support;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps the CRUD dispatcher and answers the next {@code n} requests of a method and path with an
 * error status (the CRUD mock ignores expectations, so faults are injected here).
 */
public final class FaultInjectingDispatcher extends Dispatcher {
  private record Fault(int code, AtomicInteger remaining) {}

  private final Dispatcher delegate;
  private final Map<String, Fault> faults = new ConcurrentHashMap<>();
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

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    int q = path.indexOf('?');
    Fault f = faults.get(request.getMethod() + " " + (q < 0 ? path : path.substring(0, q)));
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
