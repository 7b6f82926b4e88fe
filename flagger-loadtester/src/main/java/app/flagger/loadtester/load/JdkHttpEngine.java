package app.flagger.loadtester.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The general path for {@code https://} and HTTP/2 ({@code hey -h2}) targets: one virtual thread
 * per connection on the JDK {@code HttpClient}, which brings TLS and HTTP/2. In the open model the
 * workers take request slots from a shared counter and measure latency from the slot.
 */
final class JdkHttpEngine implements LoadEngine {
  private static final int STRIPES = 8;
  private static final Set<String> RESTRICTED =
      Set.of("host", "connection", "content-length", "expect", "upgrade");

  @Override
  public LoadStats run(LoadSpec spec, RunBudget budget, long startNanos) {
    if (spec.address() == null) {
      return runUnpinned(spec, budget, startNanos);
    }
    if (!PinnedResolverProvider.active()) {
      throw new IllegalStateException(
          "cannot hold "
              + spec.url().getHost()
              + " to its checked address: the load tester's"
              + " resolver is not installed (META-INF/services)");
    }
    Runnable unpin = PinnedResolverProvider.pin(spec.url().getHost(), spec.address());
    try {
      return runUnpinned(spec, budget, startNanos);
    } finally {
      unpin.run();
    }
  }

  private LoadStats runUnpinned(LoadSpec spec, RunBudget budget, long startNanos) {
    HttpClient.Builder cb =
        HttpClient.newBuilder()
            .version(spec.http2() ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER);
    if (!spec.timeout().isZero()) {
      cb.connectTimeout(spec.timeout());
    }
    if (spec.insecureTls()) {
      cb.sslContext(TrustAll.sslContext());
    }
    HttpRequest request = request(spec);
    AtomicLong slots = new AtomicLong();
    long interval = spec.openModel() ? (long) (1e9 / spec.rate()) : 0;
    // a few shared, locked stats instead of one per worker: a histogram is ~190 KB, and a run may
    // have a thousand workers
    List<LoadStats> stripes = new ArrayList<>();
    for (int i = 0; i < Math.min(spec.concurrency(), STRIPES); i++) {
      stripes.add(new LoadStats());
    }
    List<Thread> threads = new ArrayList<>();
    try (HttpClient client = cb.build()) {
      for (int i = 0; i < spec.concurrency(); i++) {
        LoadStats stats = stripes.get(i % stripes.size());
        threads.add(
            Thread.ofVirtual()
                .start(() -> work(client, request, budget, stats, slots, interval, startNanos)));
      }
      threads.forEach(NioHttpEngine::join);
    }
    LoadStats total = new LoadStats();
    stripes.forEach(s -> s.addTo(total));
    return total;
  }

  private static void work(
      HttpClient client,
      HttpRequest request,
      RunBudget budget,
      LoadStats stats,
      AtomicLong slots,
      long interval,
      long start) {
    while (true) {
      long now = System.nanoTime();
      if (budget.over(now) || !budget.acquire()) {
        return;
      }
      long intended = now;
      if (interval > 0) {
        intended = start + slots.getAndIncrement() * interval;
        while (intended - System.nanoTime() > 0) {
          if (budget.over(System.nanoTime()) || intended - budget.endNanos() >= 0) {
            return;
          }
          LockSupport.parkNanos(Math.min(intended - System.nanoTime(), 50_000_000L));
        }
      }
      send(client, request, stats, intended);
    }
  }

  private static void send(HttpClient client, HttpRequest request, LoadStats stats, long intended) {
    try {
      HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      long bytes;
      try (InputStream in = r.body()) {
        bytes = in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      long latency = System.nanoTime() - intended;
      synchronized (stats) {
        stats.success(r.statusCode(), latency, bytes);
      }
    } catch (HttpTimeoutException e) {
      error(stats, "Client.Timeout exceeded while awaiting headers", intended);
    } catch (IOException e) {
      String msg = e.getMessage();
      error(stats, e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg), intended);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void error(LoadStats stats, String message, long intended) {
    long latency = System.nanoTime() - intended;
    synchronized (stats) {
      stats.error(message, latency);
    }
  }

  private static HttpRequest request(LoadSpec spec) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(spec.url())
            .method(
                spec.method(),
                spec.body().length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(spec.body()));
    if (!spec.timeout().isZero()) {
      b.timeout(spec.timeout());
    }
    boolean agent = false;
    for (var h : spec.headers().entrySet()) {
      String name = h.getKey().toLowerCase(java.util.Locale.ROOT);
      if (!RESTRICTED.contains(name)) {
        b.header(h.getKey(), h.getValue());
        agent |= name.equals("user-agent");
      }
    }
    if (!agent) {
      b.header("User-Agent", RequestBytes.USER_AGENT);
    }
    return b.build();
  }
}
