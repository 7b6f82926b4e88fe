package app.flagger.model.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A service's jar in a process of its own, started by a test as its image starts it (a {@link
 * ShippedImage} command), with no JVM options from this JVM's environment, its stdout and stderr
 * together in one log file. {@link #close()} stops it as Kubernetes stops a pod: SIGTERM, then a
 * kill after 30 s.
 */
public final class JarProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final Thread hook;

  private JarProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.hook = new Thread(process::destroyForcibly, "jar-process-kill");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Starts {@code module}'s packaged jar as its image does ({@link ShippedImage}: the Dockerfile's
   * entry point and {@code ENV}, then {@code env}) with the java of this JVM, in {@code dir}, its
   * output in {@code dir/<artifactId>.log}.
   */
  public static JarProcess startShipped(
      Path module, String artifactId, Map<String, String> env, Path dir) throws IOException {
    ShippedImage image = ShippedImage.read(module.resolve("Dockerfile"));
    Map<String, String> all = new HashMap<>(image.env());
    all.putAll(env);
    String java = ProcessHandle.current().info().command().orElse("java");
    return start(
        image.command(java, List.of(), ShippedImage.jar(module, artifactId)),
        all,
        dir,
        dir.resolve(artifactId + ".log"));
  }

  /** Starts {@code command} in {@code dir} with {@code env} added, its output in {@code log}. */
  public static JarProcess start(List<String> command, Map<String, String> env, Path dir, Path log)
      throws IOException {
    Files.createDirectories(dir);
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // the pod has no other JVM options than the image's
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("_JAVA_OPTIONS");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    pb.environment().putAll(env);
    return new JarProcess(pb.start(), log);
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Its exit code once it exited by itself within {@code timeout}; empty while it runs. */
  public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        ? OptionalInt.of(process.exitValue())
        : OptionalInt.empty();
  }

  /**
   * Waits (up to {@code timeout}) until it logged a line whose {@code msg} starts with {@code
   * prefix}; fails with the end of its log when it exits first.
   */
  public void awaitLogged(String prefix, Duration timeout) {
    await("a line \"" + prefix + "...\"")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> !alive() || ZapJsonLog.contains(log(), prefix));
    if (!ZapJsonLog.contains(logOrEmpty(), prefix)) {
      throw new AssertionError(
          "exited with " + process.exitValue() + " before logging " + prefix + ":\n" + logTail(40));
    }
  }

  private List<String> logOrEmpty() {
    try {
      return log();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Every line it wrote so far, stdout and stderr together. */
  public List<String> log() throws IOException {
    return Files.readAllLines(log);
  }

  /** The last {@code n} lines of its log, for a failure message. */
  public String logTail(int n) {
    try {
      List<String> lines = log();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (IOException | RuntimeException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * SIGTERM, then a kill after 30 s; waits until the process is gone. True when it stopped on
   * SIGTERM.
   */
  public boolean stop() throws InterruptedException {
    process.destroy();
    boolean stopped = process.waitFor(30, TimeUnit.SECONDS);
    if (!stopped) {
      process.destroyForcibly();
      process.waitFor();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs anyway, on a process that is gone
    }
    return stopped;
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
