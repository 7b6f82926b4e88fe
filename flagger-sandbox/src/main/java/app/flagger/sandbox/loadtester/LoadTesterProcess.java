package app.flagger.sandbox.loadtester;

import app.flagger.sandbox.names.SandboxNames;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * flagger-loadtester as a sandbox workload: its own small JVM ({@code app.flagger.loadtester.Main}
 * with its routes, task runner and built-in hey/wrk generator) on a free loopback port.
 *
 * <p>Inside it, every host name but {@code localhost} resolves to the mesh address given (its own
 * listener, so the mesh reports {@code source_workload="flagger-loadtester"}): the generator's
 * {@code http://podinfo-canary.test:9898/} goes through the mesh as written, and so does the
 * built-in curl of the examples' acceptance test. It runs with the shipped defaults: no external
 * command, no shell; the examples' hooks ({@code curl ... | grep token}, hey) all run built in.
 *
 * <p>As in a cluster, it requires a bearer token: a random one, written to {@code loadtester-token}
 * in the work directory (readable by this user only), which the sandbox's controller sends ({@code
 * flagger.webhook-auth.*}). There is no NetworkPolicy here: it listens on 127.0.0.1 only, and the
 * token is what keeps other local processes out.
 */
public final class LoadTesterProcess implements AutoCloseable {
  /** The load tester's settings in the sandbox (system properties of the child). */
  static final Map<String, String> SETTINGS =
      Map.of(
          "loadtester.gates.store", "memory",
          "loadtester.max-concurrent-tasks", "8",
          "loadtester.load.event-loops", "1",
          // hey -host app.example.com http://public.gateway-system/: the Gateway API example's
          // load test names the Gateway's host
          "loadtester.destinations.virtual-hosts", "*.example.com");

  private static final List<String> JVM_FLAGS =
      List.of(
          "-Xmx64m",
          "-Xss512k",
          "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC",
          "-XX:CICompilerCount=1",
          "-XX:ReservedCodeCacheSize=24m",
          "-Xshare:auto");

  private final Process process;
  private final int port;
  private final Path log;
  private final Path tokenFile;

  private LoadTesterProcess(Process process, int port, Path log, Path tokenFile) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.tokenFile = tokenFile;
  }

  /**
   * Starts the load tester and waits until {@code /healthz} answers.
   *
   * @param meshAddress the mesh listener every name resolves to inside the load tester
   * @param workDir where {@code loadtester.log} goes
   */
  public static LoadTesterProcess start(
      InetAddress meshAddress, Path workDir, Clock clock, Duration startTimeout)
      throws IOException {
    Files.createDirectories(workDir);
    Path tokenFile = writeToken(workDir.resolve("loadtester-token"));
    int port = freePort();
    String mesh = meshAddress.getHostAddress();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_FLAGS);
    command.add("-Dserver.port=" + port);
    command.add("-Dserver.host=127.0.0.1");
    command.add("-D" + SandboxNames.RESOLVE_ALL + "=" + mesh);
    SETTINGS.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-Dloadtester.auth.token-file=" + tokenFile);
    command.add("-cp");
    command.add(classpath());
    command.add(LoadTesterChildMain.class.getName());
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.clear();
    env.put("PATH", path);
    env.put("LANG", "C.UTF-8");
    Path log = workDir.resolve("loadtester.log");
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    LoadTesterProcess lt = new LoadTesterProcess(pb.start(), port, log, tokenFile);
    try {
      lt.awaitHealthy(clock, startTimeout);
    } catch (IOException | RuntimeException e) {
      lt.close();
      throw e;
    }
    return lt;
  }

  /** This JVM's classpath without the controller, whose application.yaml would shadow ours. */
  static String classpath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.contains("flagger-controller"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  public int port() {
    return port;
  }

  /**
   * e.g. {@code http://127.0.0.1:41234}: {@code /metrics}, {@code /healthz}, tasks at {@code /}.
   */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The file holding the bearer token every endpoint but health and metrics requires. */
  public Path tokenFile() {
    return tokenFile;
  }

  /** {@code Bearer <token>}, the {@code Authorization} header the load tester requires. */
  public String authorization() {
    try {
      return "Bearer " + Files.readString(tokenFile).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  public boolean alive() {
    return process.isAlive();
  }

  private void awaitHealthy(Clock clock, Duration timeout) throws IOException {
    Instant deadline = clock.instant().plus(timeout);
    try (HttpClient http =
        HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2))
            .build()) {
      while (clock.instant().isBefore(deadline)) {
        if (!process.isAlive()) {
          throw new IOException(
              "the load tester exited with " + process.exitValue() + "; see " + log);
        }
        try {
          HttpResponse<Void> r =
              http.send(
                  HttpRequest.newBuilder(URI.create(url() + "/healthz"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200) {
            return;
          }
        } catch (IOException e) {
          // not listening yet
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted waiting for the load tester", e);
        }
        CompletableFuture.runAsync(
                () -> {}, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS))
            .join();
      }
    }
    throw new IOException("the load tester did not answer within " + timeout + "; see " + log);
  }

  /** A fresh random token (64 hex digits) in {@code file}, readable by this user only. */
  private static Path writeToken(Path file) throws IOException {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, HexFormat.of().formatHex(bytes));
    return file;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Closes its standard input (it exits), then kills it after 10 s. */
  @Override
  public void close() {
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
  }
}
