package app.flagger.sandbox.podinfo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The demo app's HTTP server on loopback: the JDK's built-in server, because a pod is a whole JVM
 * process and this one starts in a few hundred milliseconds with a 32 MB heap, while a Helidon
 * server per pod would cost about 0.8 s and 90 MB each (build notes §5). Requests run on virtual
 * threads; delays wait on a scheduler rather than sleeping.
 */
public final class PodinfoServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService workers;
  private final ScheduledExecutorService delays;

  private PodinfoServer(
      HttpServer server, ExecutorService workers, ScheduledExecutorService delays) {
    this.server = server;
    this.workers = workers;
    this.delays = delays;
  }

  /** Starts serving {@code responder} on 127.0.0.1:{@code port} (0 picks a free port). */
  public static PodinfoServer start(PodinfoResponder responder, int port) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor();
    server.setExecutor(workers);
    server.createContext("/", exchange -> handle(exchange, responder, delays));
    server.start();
    return new PodinfoServer(server, workers, delays);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void handle(
      HttpExchange exchange, PodinfoResponder responder, ScheduledExecutorService delays)
      throws IOException {
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
      if (exchange.getRequestURI().getPath().equals("/metrics")) {
        byte[] text = responder.metrics().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
        exchange.sendResponseHeaders(200, text.length);
        exchange.getResponseBody().write(text);
        return;
      }
      long start = System.nanoTime();
      PodinfoReply reply =
          responder.reply(exchange.getRequestMethod(), exchange.getRequestURI().getPath());
      if (reply.delayMs() > 0) {
        await(delays, reply.delayMs());
      }
      byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
      exchange.getResponseBody().write(body);
      responder.served(
          exchange.getRequestMethod(),
          exchange.getRequestURI().getPath(),
          reply.status(),
          (System.nanoTime() - start) / 1e9);
    }
  }

  private static void await(ScheduledExecutorService delays, long millis) throws IOException {
    try {
      delays.schedule(() -> null, millis, TimeUnit.MILLISECONDS).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while delaying the reply", e);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause());
    }
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
    delays.shutdownNow();
  }
}
