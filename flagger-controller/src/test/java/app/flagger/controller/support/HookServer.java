package app.flagger.controller.support;

import app.flagger.model.webhook.CanaryWebhookPayload;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A webhook receiver on mockwebserver: records {@code <path> <phase>} per call and answers each
 * path with a configurable status (200 by default). It can hold a call until the test releases it
 * ({@link #hold}) and counts how many calls it served at once at most.
 */
public final class HookServer implements AutoCloseable {
  /** A call held until {@link #release}; {@link #awaitArrived} tells when it came. */
  public record Held(CountDownLatch arrived, CountDownLatch released) {
    public boolean awaitArrived() throws InterruptedException {
      return arrived.await(30, TimeUnit.SECONDS);
    }

    public void release() {
      released.countDown();
    }
  }

  private final MockWebServer server = new MockWebServer();
  private final List<String> calls = new ArrayList<>();
  private final List<String> bodies = new ArrayList<>();
  private final Map<String, Integer> codes = new ConcurrentHashMap<>();
  private final Map<String, Queue<Held>> holds = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger mostInFlight = new AtomicInteger();

  public HookServer() throws IOException {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) throws InterruptedException {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
              return answer(r);
            } finally {
              inFlight.decrementAndGet();
            }
          }
        });
    server.start();
  }

  private MockResponse answer(RecordedRequest r) throws InterruptedException {
    String body = r.getBody().utf8();
    String path = r.getUrl().encodedPath().substring(1);
    synchronized (calls) {
      calls.add(path + " " + CanaryWebhookPayload.parse(body).phase());
      bodies.add(body);
    }
    Held held = holds.getOrDefault(path, new ConcurrentLinkedQueue<>()).poll();
    if (held != null) {
      held.arrived().countDown();
      held.released().await(60, TimeUnit.SECONDS);
    }
    int code = codes.getOrDefault(path, 200);
    return new MockResponse.Builder().code(code).body(code == 200 ? "" : "Forbidden").build();
  }

  /** Holds the next call to {@code path} not held yet until the test releases it. */
  public Held hold(String path) {
    Held h = new Held(new CountDownLatch(1), new CountDownLatch(1));
    holds.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).add(h);
    return h;
  }

  /** The most calls served at the same time so far. */
  public int mostInFlight() {
    return mostInFlight.get();
  }

  public String url(String path) {
    return server.url("/" + path).toString();
  }

  /** Answers {@code path} with {@code code} from now on. */
  public void respond(String path, int code) {
    codes.put(path, code);
  }

  public List<String> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  public List<String> bodies() {
    synchronized (calls) {
      return List.copyOf(bodies);
    }
  }

  @Override
  public void close() throws IOException {
    holds.values().forEach(q -> q.forEach(Held::release));
    server.close();
  }
}
