package app.flagger.sandbox.prometheus;

import app.flagger.model.json.Jsons;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus for the sandbox: Debian's {@code prometheus} binary run as a child process on a
 * free loopback port, with a generated configuration (every few seconds, each registered target)
 * and a temporary TSDB that is deleted on {@link #close()}. Targets can be added while it runs (the
 * config is rewritten and reloaded). The JDK HTTP client talks to it: the sandbox already uses it
 * for the mesh, and Prometheus's API needs nothing more.
 */
public final class SandboxPrometheus implements AutoCloseable {
  /** Where Debian installs it. */
  public static final Path DEBIAN_BINARY = Path.of("/usr/bin/prometheus");

  /** What to do when it is missing. */
  public static final String INSTALL_HINT =
      "Prometheus is not installed: run `sudo apt-get install --no-install-recommends prometheus`"
          + " (Debian/Ubuntu), or set PROMETHEUS_BIN to a prometheus binary";

  /**
   * Runs Prometheus under a tiny shell that stops it when its standard input closes: on {@link
   * #close()}, and also when the sandbox JVM dies without closing (even killed with SIGKILL).
   */
  private static final String WATCHDOG =
      "exec 3<&0; \"$0\" \"$@\" </dev/null & p=$!; (cat <&3 >/dev/null; kill $p 2>/dev/null) &"
          + " wait $p";

  private final Process process;
  private final Path workDir;
  private final int port;
  private final Duration scrapeInterval;
  private final List<ScrapeTarget> targets;
  private final HttpClient http =
      HttpClient.newBuilder()
          .proxy(HttpClient.Builder.NO_PROXY)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private SandboxPrometheus(
      Process process,
      Path workDir,
      int port,
      Duration scrapeInterval,
      List<ScrapeTarget> targets) {
    this.process = process;
    this.workDir = workDir;
    this.port = port;
    this.scrapeInterval = scrapeInterval;
    this.targets = targets;
  }

  /** {@code PROMETHEUS_BIN}, else Debian's binary; fails with {@link #INSTALL_HINT}. */
  public static Path binary() {
    String env = System.getenv("PROMETHEUS_BIN");
    Path p = env == null || env.isBlank() ? DEBIAN_BINARY : Path.of(env);
    if (!Files.isExecutable(p)) {
      throw new IllegalStateException(INSTALL_HINT);
    }
    return p;
  }

  /**
   * Starts Prometheus and waits (up to {@code startTimeout}) until it is ready.
   *
   * @param workDir a fresh directory for the config, the TSDB and the log
   */
  public static SandboxPrometheus start(
      Path binary,
      List<ScrapeTarget> targets,
      Duration scrapeInterval,
      Path workDir,
      Clock clock,
      Duration startTimeout)
      throws IOException {
    // a sandbox killed outright leaves its TSDB behind; every run starts empty
    deleteTree(workDir.resolve("data"));
    Files.createDirectories(workDir.resolve("data"));
    List<ScrapeTarget> all = new ArrayList<>(targets);
    Path config = workDir.resolve("prometheus.yml");
    Files.writeString(config, PrometheusConfig.yaml(scrapeInterval, all));
    Files.writeString(workDir.resolve(PrometheusConfig.POD_TARGETS), "[]\n");
    int port = freePort();
    ProcessBuilder pb =
        new ProcessBuilder(
            "/bin/sh",
            "-c",
            WATCHDOG,
            binary.toString(),
            "--config.file=" + config,
            "--storage.tsdb.path=" + workDir.resolve("data"),
            "--storage.tsdb.retention.time=1d",
            "--web.listen-address=127.0.0.1:" + port,
            "--web.enable-lifecycle",
            "--log.level=warn");
    pb.redirectErrorStream(true);
    pb.redirectOutput(workDir.resolve("prometheus.log").toFile());
    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    SandboxPrometheus prometheus =
        new SandboxPrometheus(pb.start(), workDir, port, scrapeInterval, all);
    try {
      prometheus.awaitReady(clock, startTimeout);
    } catch (IOException | RuntimeException e) {
      prometheus.close();
      throw e;
    }
    return prometheus;
  }

  public int port() {
    return port;
  }

  /** e.g. {@code http://127.0.0.1:39090}: the controller's metrics server address. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public synchronized List<ScrapeTarget> targets() {
    return List.copyOf(targets);
  }

  /** Adds a scrape target and reloads the configuration. */
  public synchronized void addTarget(ScrapeTarget target) throws IOException {
    if (targets.stream().anyMatch(t -> t.job().equals(target.job()))) {
      throw new IllegalArgumentException("scrape job " + target.job() + " is already configured");
    }
    targets.add(target);
    Files.writeString(
        workDir.resolve("prometheus.yml"), PrometheusConfig.yaml(scrapeInterval, targets));
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(url() + "/-/reload"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    if (r.statusCode() != 200) {
      throw new IOException(
          "prometheus did not reload its config: " + r.statusCode() + " " + r.body());
    }
  }

  /**
   * Replaces the pods Prometheus scrapes (file-based discovery: it notices the file within a scrape
   * interval). The file is replaced atomically.
   */
  public void podTargets(List<PodTarget> pods) throws IOException {
    var array = Jsons.createArrayBuilder();
    for (PodTarget p : pods) {
      var labels = Jsons.createObjectBuilder();
      p.labels().forEach(labels::add);
      array.add(
          Jsons.createObjectBuilder()
              .add("targets", Jsons.createArrayBuilder().add(p.address()))
              .add("labels", labels));
    }
    Path tmp = workDir.resolve(PrometheusConfig.POD_TARGETS + ".tmp");
    Files.writeString(tmp, array.build().toString());
    Files.move(
        tmp,
        workDir.resolve(PrometheusConfig.POD_TARGETS),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** The samples of an instant query (a vector; a scalar gives one sample without labels). */
  public List<Sample> query(String promql) throws IOException {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(
                URI.create(
                    url()
                        + "/api/v1/query?query="
                        + URLEncoder.encode(promql, StandardCharsets.UTF_8))));
    return QueryResults.parse(r.statusCode(), r.body(), promql);
  }

  /** The samples of an instant query evaluated at {@code time} (a past moment of the run). */
  public List<Sample> query(String promql, Instant time) throws IOException {
    String at = String.format(Locale.ROOT, "%.3f", time.toEpochMilli() / 1000.0);
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(
                URI.create(
                    url()
                        + "/api/v1/query?time="
                        + at
                        + "&query="
                        + URLEncoder.encode(promql, StandardCharsets.UTF_8))));
    return QueryResults.parse(r.statusCode(), r.body(), promql);
  }

  /** The single value of a query, as Flagger reads it; empty when there is no sample. */
  public OptionalDouble queryValue(String promql) throws IOException {
    List<Sample> samples = query(promql);
    return samples.isEmpty()
        ? OptionalDouble.empty()
        : OptionalDouble.of(samples.getFirst().value());
  }

  private void awaitReady(Clock clock, Duration timeout) throws IOException {
    Instant deadline = clock.instant().plus(timeout);
    while (clock.instant().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException(
            "prometheus exited with "
                + process.exitValue()
                + "; see "
                + workDir.resolve("prometheus.log")
                + ": "
                + log());
      }
      try {
        if (send(HttpRequest.newBuilder(URI.create(url() + "/-/ready"))).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      CompletableFuture.runAsync(
              () -> {}, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS))
          .join();
    }
    throw new IOException("prometheus not ready after " + timeout + ": " + log());
  }

  private String log() {
    try {
      return Files.readString(workDir.resolve("prometheus.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted talking to prometheus", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Stops Prometheus (SIGTERM, then SIGKILL after 10 s) and deletes its data. */
  @Override
  public void close() {
    List<ProcessHandle> tree = process.descendants().toList();
    try {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    http.close();
    try {
      deleteTree(workDir.resolve("data"));
    } catch (IOException e) {
      // the data stays until the next start; nothing else depends on it
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
