package app.flagger.loadtester.load;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The fast path for plain {@code http://} HTTP/1.1 targets: a few event-loop threads (at most one
 * per core) own all connections and speak HTTP/1.1 over non-blocking sockets with a pre-rendered
 * request, as wrk does. Java's {@code HttpClient} allocates a request, a response and futures for
 * every call and hands off between threads; this path only writes a buffer and parses the status
 * line and framing headers, which is what makes it faster than hey.
 */
final class NioHttpEngine implements LoadEngine {
  private final int threads;

  NioHttpEngine(int threads) {
    this.threads = Math.max(1, threads);
  }

  @Override
  public LoadStats run(LoadSpec spec, RunBudget budget, long startNanos) {
    InetSocketAddress address;
    try {
      // the checked address when there is one: the host is not looked up again
      InetAddress target =
          spec.address() != null ? spec.address() : InetAddress.getByName(spec.url().getHost());
      address = new InetSocketAddress(target, spec.port());
    } catch (UnknownHostException e) {
      LoadStats failed = new LoadStats();
      failed.error("dial tcp: lookup " + spec.url().getHost() + ": no such host", 0);
      return failed;
    }
    byte[] bytes = RequestBytes.build(spec);
    // one read-only copy for all connections: a large body costs its size once, not per connection
    ByteBuffer request =
        ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
    int loops = Math.min(threads, spec.concurrency());
    double ratePerLoop = spec.rate() / loops;
    long globalInterval = spec.openModel() ? (long) (1e9 / spec.rate()) : 0;
    List<NioLoop> workers = new ArrayList<>();
    List<Thread> running = new ArrayList<>();
    for (int i = 0; i < loops; i++) {
      int conns = spec.concurrency() / loops + (i < spec.concurrency() % loops ? 1 : 0);
      NioLoop loop =
          new NioLoop(
              address, request, conns, budget, spec, ratePerLoop, startNanos + i * globalInterval);
      workers.add(loop);
      running.add(Thread.ofPlatform().name("flagger-load-" + i).daemon().start(loop));
    }
    LoadStats total = new LoadStats();
    for (int i = 0; i < running.size(); i++) {
      join(running.get(i));
      workers.get(i).stats.addTo(total);
    }
    return total;
  }

  static void join(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
