package app.flagger.loadtester.load;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * One event-loop thread of the built-in HTTP/1.1 generator: a selector over a share of the
 * connections, each with at most one request in flight. Closed model: a connection sends its next
 * request once the answers of the current selector wake-up are read, and its latency runs from that
 * write to the complete answer (wrk's span). Open model: requests are due at fixed slots; a due
 * slot waits for a free connection, and its latency is measured from the slot, not from the send,
 * so a slow server cannot hide behind fewer requests (coordinated omission).
 */
final class NioLoop implements Runnable {
  private final InetSocketAddress address;
  private final RunBudget budget;
  private final boolean head;
  private final boolean keepAlive;
  private final long timeoutNanos;
  private final long intervalNanos;
  private final List<NioConnection> connections = new ArrayList<>();
  private final List<NioConnection> deferred = new ArrayList<>();
  private final NioConnection[] ready;
  private int readyCount;
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
  final LoadStats stats = new LoadStats();
  private Selector selector;
  private long nextSlot;
  private long pendingSlots;
  private long pendingFirst;
  private long lastTimeoutCheck;

  NioLoop(
      InetSocketAddress address,
      ByteBuffer request,
      int connections,
      RunBudget budget,
      LoadSpec spec,
      double ratePerSecond,
      long firstSlotNanos) {
    this.address = address;
    this.budget = budget;
    this.head = spec.method().equals("HEAD");
    this.keepAlive = spec.keepAlive();
    this.timeoutNanos = spec.timeout().toNanos();
    this.intervalNanos = ratePerSecond > 0 ? Math.max(1, (long) (1e9 / ratePerSecond)) : 0;
    this.nextSlot = firstSlotNanos;
    for (int i = 0; i < connections; i++) {
      this.connections.add(new NioConnection(request));
    }
    this.ready = new NioConnection[connections];
  }

  @Override
  public void run() {
    try (Selector sel = Selector.open()) {
      selector = sel;
      if (intervalNanos == 0) {
        for (NioConnection c : connections) {
          startNext(c, System.nanoTime());
        }
      }
      loop();
    } catch (IOException e) {
      stats.error("selector: " + e.getMessage(), 0);
    } finally {
      connections.forEach(this::closeQuietly);
    }
  }

  private void loop() throws IOException {
    while (true) {
      long now = System.nanoTime();
      if (budget.over(now) || (budget.exhausted() && inFlight() == 0)) {
        return;
      }
      if (!deferred.isEmpty()) {
        List<NioConnection> retry = new ArrayList<>(deferred);
        deferred.clear();
        retry.forEach(c -> startNext(c, now));
      }
      if (intervalNanos > 0) {
        dispatchDueSlots(now);
      }
      if (timeoutNanos > 0 && now - lastTimeoutCheck > 5_000_000L) {
        expireTimedOut(now);
        lastTimeoutCheck = now;
      }
      long waitNanos = Math.min(budget.endNanos() - now, 50_000_000L);
      if (intervalNanos > 0) {
        waitNanos = Math.min(waitNanos, nextSlot - now);
      }
      if (waitNanos >= 1_000_000L) {
        selector.select(this::onReady, waitNanos / 1_000_000L);
      } else {
        selector.selectNow(this::onReady);
      }
      sendReady();
    }
  }

  /**
   * Sends the next requests of the connections answered in the last batch. As in wrk, the reads of
   * a batch come first and the writes after them, and a request's latency starts at its write, so
   * time spent reading the other answers of the batch is not counted as this request's latency.
   */
  private void sendReady() {
    int n = readyCount;
    readyCount = 0;
    for (int i = 0; i < n; i++) {
      NioConnection c = ready[i];
      ready[i] = null;
      startNext(c, System.nanoTime());
    }
  }

  private void onReady(SelectionKey key) {
    NioConnection c = (NioConnection) key.attachment();
    if (!key.isValid()) {
      return;
    }
    try {
      if (key.isConnectable()) {
        c.channel.finishConnect();
        c.connected = true;
        write(c);
      } else if (key.isWritable()) {
        write(c);
      } else if (key.isReadable()) {
        read(c);
      }
    } catch (ConnectException e) {
      fail(c, "dial tcp " + address + ": connect: connection refused");
    } catch (IOException | RuntimeException e) {
      fail(c, errorText(e));
    }
  }

  private void dispatchDueSlots(long now) {
    while (nextSlot <= now && budget.acquire()) {
      NioConnection idle = idleConnection();
      if (idle != null && pendingSlots == 0) {
        start(idle, nextSlot);
      } else {
        if (pendingSlots == 0) {
          pendingFirst = nextSlot;
        }
        pendingSlots++;
      }
      nextSlot += intervalNanos;
    }
  }

  private NioConnection idleConnection() {
    for (NioConnection c : connections) {
      if (!c.inFlight) {
        return c;
      }
    }
    return null;
  }

  /** After a response or an error: the next request of this connection, if the model allows. */
  private void startNext(NioConnection c, long now) {
    if (c.inFlight) {
      return;
    }
    if (intervalNanos == 0) {
      if (!budget.over(now) && budget.acquire()) {
        start(c, now);
      }
    } else if (pendingSlots > 0) {
      long slot = pendingFirst;
      pendingFirst += intervalNanos;
      pendingSlots--;
      start(c, slot);
    }
  }

  private void start(NioConnection c, long intended) {
    c.inFlight = true;
    c.retried = false;
    c.sentNanos = System.nanoTime();
    c.intendedNanos = intervalNanos == 0 ? c.sentNanos : intended;
    c.out.rewind();
    c.parser.reset(head);
    try {
      if (c.channel == null) {
        connect(c);
      } else if (c.connected) {
        write(c);
      }
    } catch (IOException | RuntimeException e) {
      // failing synchronously: retry on the next loop turn, not recursively
      c.inFlight = false;
      closeQuietly(c);
      stats.error(errorText(e), System.nanoTime() - intended);
      deferred.add(c);
    }
  }

  private void connect(NioConnection c) throws IOException {
    c.channel = SocketChannel.open();
    c.channel.configureBlocking(false);
    c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    c.connected = c.channel.connect(address);
    c.key = c.channel.register(selector, c.connected ? 0 : SelectionKey.OP_CONNECT, c);
    if (c.connected) {
      write(c);
    }
  }

  private void write(NioConnection c) throws IOException {
    if (!c.inFlight) {
      c.key.interestOps(SelectionKey.OP_READ);
      return;
    }
    c.channel.write(c.out);
    c.key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
  }

  private void read(NioConnection c) throws IOException {
    readBuffer.clear();
    int n = c.channel.read(readBuffer);
    if (n < 0) {
      if (c.inFlight && c.parser.readsUntilClose()) {
        complete(c);
      } else if (c.inFlight) {
        fail(c, "EOF: connection closed by server");
      } else {
        closeQuietly(c);
      }
      return;
    }
    readBuffer.flip();
    if (c.inFlight && c.parser.feed(readBuffer)) {
      complete(c);
    }
  }

  private void complete(NioConnection c) {
    long now = System.nanoTime();
    c.inFlight = false;
    c.reused = true;
    stats.success(c.parser.status(), now - c.intendedNanos, c.parser.bodyBytes());
    if (!keepAlive || !c.parser.keepAlive()) {
      closeQuietly(c);
    }
    ready[readyCount++] = c;
  }

  private void fail(NioConnection c, String message) {
    if (c.inFlight && c.reused && !c.retried && !c.parser.started()) {
      // the server closed a kept-alive connection as we reused it: send again on a new one,
      // as Go's client does for idempotent requests, instead of counting an error
      closeQuietly(c);
      long intended = c.intendedNanos;
      start(c, intended);
      c.retried = true;
      return;
    }
    long now = System.nanoTime();
    boolean wasInFlight = c.inFlight;
    c.inFlight = false;
    closeQuietly(c);
    if (wasInFlight) {
      stats.error(message, now - c.intendedNanos);
      startNext(c, now);
    }
  }

  private void expireTimedOut(long now) {
    for (NioConnection c : connections) {
      if (c.inFlight && now - c.sentNanos > timeoutNanos) {
        c.retried = true;
        fail(c, "Client.Timeout exceeded while awaiting headers");
      }
    }
  }

  private int inFlight() {
    int n = 0;
    for (NioConnection c : connections) {
      n += c.inFlight ? 1 : 0;
    }
    return n + (int) Math.min(pendingSlots, Integer.MAX_VALUE);
  }

  private void closeQuietly(NioConnection c) {
    if (c.channel != null) {
      try {
        c.channel.close();
      } catch (IOException ignored) {
        // closing a broken connection
      }
    }
    c.channel = null;
    c.key = null;
    c.connected = false;
    c.reused = false;
  }

  private static String errorText(Exception e) {
    String msg = e.getMessage();
    return e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
  }
}
