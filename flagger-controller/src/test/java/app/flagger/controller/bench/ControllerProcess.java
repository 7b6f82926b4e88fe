package app.flagger.controller.bench;

import app.flagger.model.support.JarProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The controller as it ships, in its own process: {@code java <the image's options> <limits> -jar
 * flagger-controller-<version>.jar} (entry point {@code Main}, the jar's manifest classpath in
 * {@code target/libs}, no test code), configured through environment variables as its pod is, with
 * its stdout and stderr in {@code controller.log} and its pid in {@code controller.pid} (the bench
 * script kills a process left behind by a JVM that died). Observed from outside only: {@code
 * /health/ready} and {@code /metrics} on its HTTP port. {@link #close()} sends SIGTERM and kills it
 * after 30 s.
 */
final class ControllerProcess implements AutoCloseable {
  static final String LOG = "controller.log";
  static final String PID = "controller.pid";

  private final JarProcess process;
  private final Path dir;
  private final URI base;
  private final HttpClient http;
  private long lastReadyCheck = System.nanoTime();
  private boolean lastReady = true;

  private ControllerProcess(JarProcess process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.base = URI.create("http://127.0.0.1:" + port);
    // the JDK client keeps the bench's JVM free of a second Helidon runtime
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  }

  /**
   * Starts the jar with the java of this JVM, {@code jvm}'s options and environment and {@code env}
   * on a free HTTP port, in {@code dir}.
   */
  static ControllerProcess start(Path jar, ControllerJvm jvm, Map<String, String> env, Path dir)
      throws IOException {
    Files.createDirectories(dir);
    int port = freePort();
    Map<String, String> all = new HashMap<>(jvm.imageEnv());
    all.put("SERVER_PORT", Integer.toString(port));
    all.putAll(env);
    JarProcess p =
        JarProcess.start(
            jvm.command(ProcessHandle.current().info().command().orElse("java"), jar),
            all,
            dir,
            dir.resolve(LOG));
    Files.writeString(dir.resolve(PID), p.pid() + "\n");
    return new ControllerProcess(p, dir, port);
  }

  /** A kubeconfig in {@code dir} for the API server at {@code url}, as a user would write. */
  static Path kubeconfig(Path dir, String url, String namespace) throws IOException {
    return kubeconfig(dir, url, namespace, "");
  }

  /**
   * {@link #kubeconfig(Path, String, String)} whose user sends {@code token} as its bearer token
   * (none when empty), so the API server can tell processes apart.
   */
  static Path kubeconfig(Path dir, String url, String namespace, String token) throws IOException {
    Files.createDirectories(dir);
    String user = token.isEmpty() ? "{}" : "\n      token: " + token;
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
          - name: bench
            cluster:
              server: %s
        contexts:
          - name: bench
            context:
              cluster: bench
              namespace: %s
              user: bench
        users:
          - name: bench
            user: %s
        current-context: bench
        """
            .formatted(url, namespace, user);
    return Files.writeString(dir.resolve("kubeconfig"), yaml);
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.alive();
  }

  /** Its exit code once it exited by itself within {@code timeout}; empty while it runs. */
  OptionalInt awaitExit(Duration timeout) throws InterruptedException {
    return process.awaitExit(timeout);
  }

  /**
   * Waits until it logged a line whose {@code msg} starts with {@code prefix}; fails when it exits
   * first.
   */
  void awaitLogged(String prefix, Duration timeout) {
    process.awaitLogged(prefix, timeout);
  }

  /** Every line it wrote so far, stdout and stderr together. */
  List<String> log() throws IOException {
    return process.log();
  }

  /**
   * Waits until {@code /health/ready} answers 200 and {@code /metrics} answers; false when the
   * process exited or {@code timeout} passed.
   */
  boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (process.alive() && System.nanoTime() < deadline) {
      if (status("/health/ready") == 200 && status("/metrics") == 200) {
        return true;
      }
      Thread.sleep(250);
    }
    return false;
  }

  /**
   * Whether {@code /health/ready} answers 200 now. After the first time it says whether the replica
   * still holds the Lease (the informers stay synced).
   */
  boolean ready() throws InterruptedException {
    return status("/health/ready") == 200;
  }

  /** Alive and, asked at most every 5 s, still ready: for a wait that polls often. */
  boolean up() {
    if (!process.alive()) {
      return false;
    }
    long now = System.nanoTime();
    if (now - lastReadyCheck >= 5_000_000_000L) {
      lastReadyCheck = now;
      try {
        lastReady = ready();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return lastReady;
  }

  /** The body of {@code /health/ready}, for a failure message. */
  String readiness() throws InterruptedException {
    try {
      return http.send(
              HttpRequest.newBuilder(base.resolve("/health/ready"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "(no answer: " + e.getMessage() + ")";
    }
  }

  /** One scrape of {@code /metrics}, Prometheus text format. */
  PromText scrape() throws IOException, InterruptedException {
    return scrapeTimed().metrics();
  }

  /**
   * One scrape of {@code /metrics}, with the time from sending the GET until the whole body arrived
   * and the body's size in bytes.
   */
  Scrape scrapeTimed() throws IOException, InterruptedException {
    long start = System.nanoTime();
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(base.resolve("/metrics"))
                .header("Accept", "text/plain")
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    long nanos = System.nanoTime() - start;
    if (r.statusCode() != 200) {
      throw new IOException("GET /metrics: expected 200, got " + r.statusCode());
    }
    return new Scrape(
        PromText.parse(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)),
        nanos,
        r.body().length);
  }

  /** A timed scrape: the metrics, the GET's duration and the body's size. */
  record Scrape(PromText metrics, long nanos, int bytes) {}

  /** The last {@code n} lines of the controller's log, for a failure message. */
  String logTail(int n) {
    return process.logTail(n);
  }

  private int status(String path) throws InterruptedException {
    try {
      return http.send(
              HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1; // not listening yet
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** SIGTERM (the pod's stop), then a kill after 30 s; waits until the process is gone. */
  @Override
  public void close() throws InterruptedException, IOException {
    if (!process.stop()) {
      System.out.println("BENCH-STOP controller ignored SIGTERM for 30 s: killed");
    }
    http.close();
    Files.deleteIfExists(dir.resolve(PID));
  }
}
