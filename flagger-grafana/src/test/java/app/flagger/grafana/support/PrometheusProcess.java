package app.flagger.grafana.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Prometheus (Debian's {@code /usr/bin/prometheus}) run as a plain process on a free
 * loopback port with a temporary storage directory, used as a PromQL parser through {@code
 * /api/v1/query}.
 */
public final class PrometheusProcess implements AutoCloseable {
  private final Process process;
  private final Path dir;
  private final URI base;
  private final HttpClient http = HttpClient.newHttpClient();

  private PrometheusProcess(Process process, Path dir, URI base) {
    this.process = process;
    this.dir = dir;
    this.base = base;
  }

  /** Starts Prometheus and waits until it is ready; fails clearly when it is not installed. */
  public static PrometheusProcess start() throws IOException {
    Path binary = findOnPath("prometheus");
    Path dir = Files.createTempDirectory("flagger-grafana-prom");
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1m\nscrape_configs: []\n");
    int port = freePort();
    Process process =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    PrometheusProcess prom =
        new PrometheusProcess(process, dir, URI.create("http://127.0.0.1:" + port));
    try {
      await("Prometheus ready on port " + port)
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(prom::ready);
    } catch (RuntimeException e) {
      prom.close();
      throw e;
    }
    return prom;
  }

  /** The JSON answer of an instant query. */
  public JsonObject query(String promql) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/api/v1/query"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
            .build();
    String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    return Json.createReader(new StringReader(body)).readObject();
  }

  private boolean ready() throws IOException, InterruptedException {
    assertThat(process.isAlive()).as("prometheus process alive (see %s)", dir).isTrue();
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/-/ready")).build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static Path findOnPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin";
    return Stream.of(path.split(":"))
        .filter(s -> !s.isEmpty())
        .map(s -> Path.of(s, name))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "'"
                        + name
                        + "' is not on PATH: the PromQL check needs a real Prometheus."
                        + " Install it with: apt-get install --no-install-recommends prometheus"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Sample values for the dashboards' template variables and Grafana's built-in intervals. */
  public static String substituteVariables(String expr) {
    String out = expr;
    for (List<String> kv :
        List.of(
            List.of("$__rate_interval", "1m"),
            List.of("$__range", "1h"),
            List.of("$namespace", "default"),
            List.of("$primary", "podinfo-primary"),
            List.of("$canary", "podinfo"),
            List.of("$target", "podinfo"))) {
      out = out.replace(kv.get(0), kv.get(1));
    }
    return out;
  }
}
