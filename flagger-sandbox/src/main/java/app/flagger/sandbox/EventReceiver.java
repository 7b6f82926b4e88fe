package app.flagger.sandbox;

import app.flagger.model.json.Jsons;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The sandbox's event-webhook receiver: the controller's {@code event-webhook} points here. It
 * keeps every payload POSTed to it (in order) and lists them as a JSON array on a {@code GET} of
 * the same path: {@code /} for the event webhook, {@code /alerts/slack} and {@code /alerts/msteams}
 * for the example's alert providers.
 */
public final class EventReceiver implements AutoCloseable {
  private static final int MAX_KEPT = 10_000;

  private final HttpServer server;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  /** One payload and the path it was POSTed to. */
  public record Received(String path, JsonObject payload) {}

  private EventReceiver(HttpServer server) {
    this.server = server;
  }

  /** Starts on a free loopback port. */
  public static EventReceiver start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    EventReceiver r = new EventReceiver(server);
    server.setExecutor(r.workers);
    server.createContext("/", r::handle);
    server.start();
    return r;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** e.g. {@code http://127.0.0.1:40123/}: POST payloads here, GET lists them. */
  public String url() {
    return "http://127.0.0.1:" + port() + "/";
  }

  /** Every event-webhook payload (POSTed to {@code /}) so far, oldest first. */
  public List<JsonObject> payloads() {
    return received.stream().filter(r -> r.path().equals("/")).map(Received::payload).toList();
  }

  /** Every payload POSTed under {@code prefix} (e.g. {@code /alerts/}), oldest first. */
  public List<Received> received(String prefix) {
    return received.stream().filter(r -> r.path().startsWith(prefix)).toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      switch (ex.getRequestMethod()) {
        case "POST" -> receive(ex);
        case "GET" -> list(ex);
        default -> reply(ex, 405, "text/plain", "GET lists the payloads, POST adds one");
      }
    }
  }

  private void receive(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    try (var reader = Jsons.createReader(new StringReader(body))) {
      JsonObject payload = reader.readObject();
      if (received.size() < MAX_KEPT) {
        received.add(new Received(ex.getRequestURI().getPath(), payload));
      }
      reply(ex, 202, "text/plain", "");
    } catch (JsonException | IllegalStateException e) {
      reply(ex, 400, "text/plain", "expected a JSON object: " + e.getMessage());
    }
  }

  private void list(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    JsonArrayBuilder all = Jsons.createArrayBuilder();
    received.stream().filter(r -> r.path().equals(path)).map(Received::payload).forEach(all::add);
    reply(ex, 200, "application/json", all.build().toString());
  }

  private static void reply(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
