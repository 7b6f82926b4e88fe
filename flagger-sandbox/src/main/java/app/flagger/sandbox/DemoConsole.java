package app.flagger.sandbox;

import app.flagger.controller.events.CanaryEvent;
import app.flagger.controller.events.EventSink;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryStatus;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What {@code make demo} prints: each of the controller's messages as it happens (the same text
 * Flagger logs and records as a Kubernetes event), and a status line with the Canary's phase and
 * the canary and primary weights. On a terminal the status line is redrawn in place every half
 * second; otherwise it is printed whenever it changes.
 */
public final class DemoConsole implements EventSink, AutoCloseable {
  private final PrintStream out;
  private final Clock clock;
  private final Instant start;
  private final boolean terminal;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("demo-status").unstarted(r));
  private volatile Supplier<Canary> canary = () -> null;
  private String shown = "";

  public DemoConsole(PrintStream out, Clock clock, boolean terminal) {
    this.out = out;
    this.clock = clock;
    this.start = clock.instant();
    this.terminal = terminal;
  }

  public DemoConsole start() {
    ticker.scheduleWithFixedDelay(this::refresh, 500, 500, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Follows this Canary in the status line. */
  public void follow(Supplier<Canary> canary) {
    this.canary = canary;
  }

  /** A line of the story, e.g. {@code demo: releasing 6.0.1}. */
  public synchronized void say(String line) {
    clearStatus();
    out.printf("%s  %s%n", elapsed(), line);
    drawStatus();
  }

  @Override
  public synchronized void record(CanaryEvent e) {
    clearStatus();
    out.printf("%s  %-7s %s  %s%n", elapsed(), e.type().value(), e.canary().key(), e.message());
    drawStatus();
  }

  /** The status line of a Canary: phase, weights, failed checks, iterations. */
  static String status(Canary c) {
    if (c == null) {
      return "";
    }
    CanaryStatus s = c.getStatus();
    if (s == null) {
      return "status %s: -".formatted(c.key());
    }
    int weight = s.canaryWeightOrZero();
    String phase = s.phaseOrNone().value();
    return "status %s: %s  canary %d%%  primary %d%%  failed checks %d  iterations %d"
        .formatted(
            c.key(),
            phase.isEmpty() ? "-" : phase,
            weight,
            100 - weight,
            s.failedChecksOrZero(),
            s.iterationsOrZero());
  }

  private synchronized void refresh() {
    String now;
    try {
      now = status(canary.get());
    } catch (RuntimeException e) {
      return;
    }
    if (terminal) {
      shown = now;
      drawStatus();
    } else if (!now.equals(shown)) {
      shown = now;
      out.printf("%s  %s%n", elapsed(), now);
    }
  }

  private void clearStatus() {
    if (terminal && !shown.isEmpty()) {
      out.print("\r\033[K");
    }
  }

  private void drawStatus() {
    if (terminal && !shown.isEmpty()) {
      out.print("\r\033[K" + elapsed() + "  " + shown);
      out.flush();
    }
  }

  private String elapsed() {
    long s = Duration.between(start, clock.instant()).toSeconds();
    return "%02d:%02d".formatted(s / 60, s % 60);
  }

  @Override
  public synchronized void close() {
    ticker.shutdownNow();
    clearStatus();
    out.flush();
  }
}
