package app.flagger.sandbox;

import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The users of the demo app: a steady trickle of requests to a service's apex name (e.g. {@code
 * http://podinfo.test:9898/}) through the mesh, as a client outside the mesh (no workload identity,
 * plain text). The VirtualService splits it, so the primary serves production traffic while the
 * load tester exercises the canary, as in a real cluster.
 */
public final class UserTraffic implements AutoCloseable {
  private final HttpClient http;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("sandbox-user-traffic").unstarted(r));
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();

  private UserTraffic(HttpClient http) {
    this.http = http;
  }

  /**
   * Starts sending {@code perSecond} GETs a second to {@code url}.
   *
   * @param mesh the mesh's proxy selector
   */
  public static UserTraffic start(ProxySelector mesh, String url, int perSecond) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("perSecond: expected at least 1, got " + perSecond);
    }
    UserTraffic t =
        new UserTraffic(
            HttpClient.newBuilder().proxy(mesh).connectTimeout(Duration.ofSeconds(2)).build());
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
    t.ticker.scheduleAtFixedRate(
        () -> {
          t.sent.incrementAndGet();
          t.http
              .sendAsync(request, HttpResponse.BodyHandlers.discarding())
              .thenRun(t.answered::incrementAndGet);
        },
        0,
        1000 / perSecond,
        TimeUnit.MILLISECONDS);
    return t;
  }

  /** Requests sent so far. */
  public long sent() {
    return sent.get();
  }

  /** Requests answered (any status) so far. */
  public long answered() {
    return answered.get();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    http.shutdownNow();
  }
}
