package app.flagger.loadtester.task;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Starts programs with {@link ProcessBuilder} (never through a shell of its own). */
public final class ProcessCommandExecutor implements CommandExecutor {
  private static final int MAX_OUTPUT = 1 << 20;

  @Override
  public Result run(List<String> argv, Duration timeout, BooleanSupplier cancelled) {
    Process p;
    try {
      p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Result(-1, "", false, "cannot start " + argv.getFirst() + ": " + e.getMessage());
    }
    closeQuietly(p);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader = Thread.ofVirtual().start(() -> drain(p.getInputStream(), out));
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean timedOut = false;
    try {
      while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
        if (cancelled.getAsBoolean() || System.nanoTime() - deadline >= 0) {
          timedOut = true;
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          p.waitFor(5, TimeUnit.SECONDS);
          break;
        }
      }
      reader.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      timedOut = true;
    }
    String output;
    synchronized (out) {
      output = out.toString(StandardCharsets.UTF_8);
    }
    return new Result(timedOut ? -1 : p.exitValue(), output, timedOut, "");
  }

  private static void closeQuietly(Process p) {
    try {
      p.getOutputStream().close();
    } catch (IOException ignored) {
      // nothing to send anyway
    }
  }

  private static void drain(InputStream in, ByteArrayOutputStream out) {
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        synchronized (out) {
          int keep = Math.min(n, MAX_OUTPUT - out.size());
          if (keep > 0) {
            out.write(buf, 0, keep);
          }
        }
      }
    } catch (IOException ignored) {
      // the process went away
    }
  }
}
