package app.flagger.controller.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/** The {@link BenchApiServer} child JVM: started, followed through its stdout, stopped. */
final class BenchPeer implements AutoCloseable {
  private final Process process;
  private final CompletableFuture<String> url = new CompletableFuture<>();
  private final AtomicLong initialized = new AtomicLong();
  private final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.concurrent.Semaphore callsDone = new java.util.concurrent.Semaphore(0);

  private BenchPeer(Process process) {
    this.process = process;
    Thread.ofPlatform().daemon().name("bench-api-out").start(this::follow);
  }

  static BenchPeer start(int canaries) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("--sun-misc-unsafe-memory-access=allow");
    cmd.addAll(List.of(System.getProperty("bench.apiJvmArgs", "-XX:+UseSerialGC").split(" ")));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(BenchApiServer.class.getName());
    cmd.add(Integer.toString(canaries));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    return new BenchPeer(p);
  }

  private void follow() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith(BenchApiServer.READY)) {
          url.complete(line.substring(BenchApiServer.READY.length()).trim());
        } else if (line.startsWith(BenchApiServer.CALLS)) {
          String rest = line.substring(BenchApiServer.CALLS.length());
          if (rest.equals("end")) {
            callsDone.release();
          } else {
            calls.add(rest);
          }
        } else if (line.startsWith(BenchApiServer.INITIALIZED)) {
          initialized.set(Long.parseLong(line.substring(BenchApiServer.INITIALIZED.length())));
        } else {
          System.out.println("api-server: " + line);
        }
      }
    } catch (IOException | RuntimeException e) {
      url.completeExceptionally(e);
    }
    url.completeExceptionally(new IllegalStateException("the bench API server exited"));
  }

  /** The API server's URL, once seeded (at most 10 minutes). */
  String url() throws Exception {
    return url.get(10, TimeUnit.MINUTES);
  }

  /**
   * Waits until {@code n} Canaries are Initialized, {@code seconds} passed or {@code controller} is
   * no longer alive; returns how many.
   */
  long awaitInitialized(int n, int seconds, BooleanSupplier controller)
      throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (initialized.get() < n
        && System.nanoTime() < deadline
        && process.isAlive()
        && controller.getAsBoolean()) {
      Thread.sleep(250);
    }
    return initialized.get();
  }

  /**
   * The API server's request counts by verb and resource since the last call (the first call: since
   * seeding), as {@code "<count> <verb> <path>"} lines, most frequent first.
   */
  List<String> drainCalls() throws Exception {
    calls.clear();
    var out = process.getOutputStream();
    out.write("calls\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
    if (!callsDone.tryAcquire(30, TimeUnit.SECONDS)) {
      return List.of("(no answer)");
    }
    List<String> sorted = new ArrayList<>(calls);
    sorted.sort(
        java.util.Comparator.comparingLong((String l) -> Long.parseLong(l.split(" ")[0]))
            .reversed());
    return sorted;
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  @Override
  public void close() throws Exception {
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
