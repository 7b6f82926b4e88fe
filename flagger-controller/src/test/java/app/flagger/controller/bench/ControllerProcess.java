package app.flagger.controller.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

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

  private final Process process;
  private final Path dir;
  private final URI base;
  private final HttpClient http;
  private final Thread hook;
  private long lastReadyCheck = System.nanoTime();
  private boolean lastReady = true;

  private ControllerProcess(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.base = URI.create("http://127.0.0.1:" + port);
    // the JDK client keeps the bench's JVM free of a second Helidon runtime
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    this.hook = new Thread(process::destroyForcibly, "bench-controller-kill");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Starts the jar with the java of this JVM, {@code jvm}'s options and environment and {@code env}
   * on a free HTTP port, in {@code dir}.
   */
  static ControllerProcess start(Path jar, ControllerJvm jvm, Map<String, String> env, Path dir)
      throws IOException {
    Files.createDirectories(dir);
    int port = freePort();
    List<String> cmd = jvm.command(ProcessHandle.current().info().command().orElse("java"), jar);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(LOG).toFile());
    // the pod has no other JVM options than the image's
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("_JAVA_OPTIONS");
    pb.environment().remove(ControllerJvm.ENV);
    pb.environment().putAll(jvm.imageEnv());
    pb.environment().put("SERVER_PORT", Integer.toString(port));
    pb.environment().putAll(env);
    Process p = pb.start();
    Files.writeString(dir.resolve(PID), p.pid() + "\n");
    return new ControllerProcess(p, dir, port);
  }

  /** A kubeconfig in {@code dir} for the API server at {@code url}, as a user would write. */
  static Path kubeconfig(Path dir, String url, String namespace) throws IOException {
    Files.createDirectories(dir);
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
            user: {}
        current-context: bench
        """
            .formatted(url, namespace);
    return Files.writeString(dir.resolve("kubeconfig"), yaml);
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Its exit code once it exited by itself within {@code timeout}; empty while it runs. */
  OptionalInt awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        ? OptionalInt.of(process.exitValue())
        : OptionalInt.empty();
  }

  /** Every line it wrote so far, stdout and stderr together. */
  List<String> log() throws IOException {
    return Files.readAllLines(dir.resolve(LOG));
  }

  /**
   * Waits until {@code /health/ready} answers 200 and {@code /metrics} answers; false when the
   * process exited or {@code timeout} passed.
   */
  boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (process.isAlive() && System.nanoTime() < deadline) {
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
    if (!process.isAlive()) {
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
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(base.resolve("/metrics"))
                .header("Accept", "text/plain")
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET /metrics: expected 200, got " + r.statusCode());
    }
    return PromText.parse(r.body());
  }

  /** The last {@code n} lines of the controller's log, for a failure message. */
  String logTail(int n) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve(LOG));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (IOException | RuntimeException e) {
      return "(no log: " + e.getMessage() + ")";
    }
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
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      System.out.println("BENCH-STOP controller ignored SIGTERM for 30 s: killed");
      process.destroyForcibly();
      process.waitFor();
    }
    http.close();
    Files.deleteIfExists(dir.resolve(PID));
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs anyway, on a process that is gone
    }
  }
}
