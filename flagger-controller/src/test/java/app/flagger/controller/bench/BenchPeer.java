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
  private final java.util.concurrent.Semaphore rolledOut = new java.util.concurrent.Semaphore(0);
  private final CompletableFuture<String> standIns = new CompletableFuture<>();
  private volatile java.util.Map<String, Long> phases = java.util.Map.of();
  private final AtomicLong queries = new AtomicLong();
  private final AtomicLong hooks = new AtomicLong();

  private BenchPeer(Process process) {
    this.process = process;
    Thread.ofPlatform().daemon().name("bench-api-out").start(this::follow);
  }

  static BenchPeer start(int canaries) throws IOException {
    return start(canaries, "idle");
  }

  /** {@link BenchApiServer} in {@code mode}: {@code idle} or {@code analysing}. */
  static BenchPeer start(int canaries, String mode) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("--sun-misc-unsafe-memory-access=allow");
    cmd.addAll(List.of(System.getProperty("bench.apiJvmArgs", "-XX:+UseSerialGC").split(" ")));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(BenchApiServer.class.getName());
    cmd.add(Integer.toString(canaries));
    cmd.add(mode);
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
        } else if (line.startsWith(BenchApiServer.PHASES)) {
          java.util.Map<String, Long> m = new java.util.TreeMap<>();
          for (String kv : line.substring(BenchApiServer.PHASES.length()).trim().split(" ")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
              m.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
            }
          }
          phases = java.util.Collections.unmodifiableMap(m);
        } else if (line.startsWith(BenchApiServer.STANDIN_CALLS)) {
          String[] f = line.substring(BenchApiServer.STANDIN_CALLS.length()).trim().split(" ");
          queries.set(Long.parseLong(f[0]));
          hooks.set(Long.parseLong(f[1]));
        } else if (line.startsWith(BenchApiServer.STANDINS)) {
          standIns.complete(line.substring(BenchApiServer.STANDINS.length()).trim());
        } else if (line.startsWith(BenchApiServer.ROLLED_OUT)) {
          rolledOut.release();
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

  /** The stand-ins' address (mode analysing), the controller's metrics server. */
  String standInsUrl() throws Exception {
    return standIns.get(10, TimeUnit.MINUTES);
  }

  /** The Canaries by phase ({@code None} for no status yet), as last counted (every second). */
  java.util.Map<String, Long> phases() {
    return phases;
  }

  /** The Prometheus stand-in's queries so far, as last counted (every second). */
  long queries() {
    return queries.get();
  }

  /** The webhook stand-in's calls so far, as last counted (every second). */
  long hooks() {
    return hooks.get();
  }

  /**
   * Gives every target Deployment a new revision; true once the API server stored them, false when
   * it had not after {@code seconds}.
   */
  boolean rollout(int seconds) throws Exception {
    var out = process.getOutputStream();
    out.write("rollout\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
    return rolledOut.tryAcquire(seconds, TimeUnit.SECONDS);
  }

  /**
   * Waits until {@code n} Canaries are in {@code phase}, {@code seconds} passed or {@code
   * controller} is no longer alive; returns how many are.
   */
  long awaitPhase(String phase, int n, int seconds, BooleanSupplier controller)
      throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (phases.getOrDefault(phase, 0L) < n
        && System.nanoTime() < deadline
        && process.isAlive()
        && controller.getAsBoolean()) {
      Thread.sleep(250);
    }
    return phases.getOrDefault(phase, 0L);
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
