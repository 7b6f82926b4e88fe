package app.flagger.controller.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * The analysing benchmark's Prometheus and webhook stand-ins: one JDK HTTP server (a virtual thread
 * per exchange, so a delayed answer holds no platform thread) in the {@link BenchApiServer} JVM.
 * {@code /api/v1/query} answers after 5 ms with an instant vector that passes the builtin checks
 * ({@code vector(1)}: 1, a latency query: 25 ms, anything else: 99.9 %); {@code /hook} answers 200
 * after 20 ms. Both count their requests.
 */
final class BenchStandIns implements AutoCloseable {
  static final long QUERY_DELAY_MS = 5;
  static final long HOOK_DELAY_MS = 20;

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final LongAdder queries = new LongAdder();
  private final LongAdder hooks = new LongAdder();

  private BenchStandIns() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
    server.setExecutor(executor);
    server.createContext("/api/v1/query", this::query);
    server.createContext("/hook", this::hook);
    server.start();
  }

  static BenchStandIns start() throws IOException {
    return new BenchStandIns();
  }

  /** {@code http://127.0.0.1:<port>}: the metrics server address, without a trailing slash. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The rollout webhook's URL. */
  String hookUrl() {
    return url() + "/hook";
  }

  long queries() {
    return queries.sum();
  }

  long hooks() {
    return hooks.sum();
  }

  private void query(HttpExchange x) throws IOException {
    queries.increment();
    String params = x.getRequestURI().getRawQuery();
    try (InputStream in = x.getRequestBody()) {
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (!body.isEmpty()) {
        params = params == null ? body : params + "&" + body;
      }
    }
    String q = URLDecoder.decode(params == null ? "" : params, StandardCharsets.UTF_8);
    String value;
    if (q.contains("vector(1)")) {
      value = "1";
    } else if (q.contains("duration")) {
      value = "25";
    } else {
      value = "99.9";
    }
    pause(QUERY_DELAY_MS);
    answer(
        x,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
            + "[{\"metric\":{},\"value\":[1700000000.0,\""
            + value
            + "\"]}]}}");
  }

  private void hook(HttpExchange x) throws IOException {
    hooks.increment();
    try (InputStream in = x.getRequestBody()) {
      in.readAllBytes();
    }
    pause(HOOK_DELAY_MS);
    answer(x, "{}");
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void answer(HttpExchange x, String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(200, b.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
