package app.flagger.loadtester.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;

/**
 * A local HTTP server for generator tests: answers request number {@code i} (from 0) with the
 * status {@code statusOf.applyAsLong(i)}, alternating fixed-length and chunked bodies.
 */
public final class StubTarget implements AutoCloseable {
  private final HttpServer server;
  private final AtomicLong requests = new AtomicLong();

  public StubTarget(LongUnaryOperator statusOf) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        ex -> {
          long i = requests.getAndIncrement();
          byte[] body = ("request " + i + "\n").getBytes(StandardCharsets.UTF_8);
          ex.getRequestBody().readAllBytes();
          ex.sendResponseHeaders((int) statusOf.applyAsLong(i), i % 2 == 0 ? body.length : 0);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  /** Every {@code n}th request (0, n, 2n, ...) fails with 500, the others answer 200. */
  public static StubTarget everyNthFails(int n) {
    return new StubTarget(i -> i % n == 0 ? 500 : 200);
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  public long requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
