package app.flagger.loadtester.support;

import app.flagger.loadtester.LoadTesterConfig;
import app.flagger.loadtester.LoadTesterDeps;
import app.flagger.loadtester.Main;
import app.flagger.loadtester.gate.GateStore;
import app.flagger.loadtester.gate.InMemoryGateStore;
import app.flagger.loadtester.task.LoadMetrics;
import app.flagger.loadtester.task.TaskRunner;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The load tester's routes on a real server on a free loopback port, plus a small client. */
public final class TestServer implements AutoCloseable {
  private final WebServer server;
  private final TaskRunner runner;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

  public record Reply(int status, String body) {}

  private TestServer(WebServer server, TaskRunner runner) {
    this.server = server;
    this.runner = runner;
  }

  /**
   * Config for the {@code loadtester} node from {@code settings}: in-memory gates and, unless a
   * token is set, authentication off ({@code AuthTest} covers it).
   */
  public static LoadTesterConfig config(Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(Map.of("gates.store", "memory"));
    if (!settings.containsKey("auth.token") && !settings.containsKey("auth.token-file")) {
      all.put("auth.disabled", "true");
    }
    all.putAll(settings);
    return LoadTesterConfig.from(Config.just(ConfigSources.create(all)));
  }

  public static TestServer start(LoadTesterConfig config) {
    return start(config, new InMemoryGateStore());
  }

  public static TestServer start(LoadTesterConfig config, GateStore gates) {
    AtomicInteger port = new AtomicInteger(-1);
    TaskRunner runner = Main.runner(config, new LoadMetrics(Main.lazyRegistry()), port::get);
    LoadTesterDeps deps =
        new LoadTesterDeps(config, gates, Main.factory(config, port::get), runner);
    Config server =
        Config.just(
            ConfigSources.create(
                Map.of(
                    "host",
                    "127.0.0.1",
                    "port",
                    "0",
                    "features.observe.endpoint",
                    "/",
                    "max-payload-size",
                    "1048576")));
    WebServer ws =
        WebServer.builder().config(server).routing(r -> Main.routing(r, deps)).build().start();
    port.set(ws.port());
    return new TestServer(ws, runner);
  }

  public Reply post(String path, String body) {
    return post(path, body, null);
  }

  public Reply post(String path, String body, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return send(b.build());
  }

  public Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  /** {@code method} on {@code path} with an optional bearer token and no body. */
  public Reply request(String method, String path, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return send(b.build());
  }

  /** The port the server listens on. */
  public int port() {
    return server.port();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private Reply send(HttpRequest request) {
    try {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    runner.close();
    server.stop();
  }
}
