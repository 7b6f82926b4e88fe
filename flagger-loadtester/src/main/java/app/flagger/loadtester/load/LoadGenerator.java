package app.flagger.loadtester.load;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The built-in load generator. Plain {@code http://} HTTP/1.1 runs on {@link NioHttpEngine}; {@code
 * https://} and HTTP/2 on {@link JdkHttpEngine}.
 */
public final class LoadGenerator {
  private final int eventLoops;

  /** A generator with {@link #defaultEventLoops()} event loops. */
  public LoadGenerator() {
    this(defaultEventLoops());
  }

  /**
   * Half the available processors, at least one: one loop keeps a core busy, and the rest is left
   * to the process under test and the load tester's own server when they share the machine.
   */
  public static int defaultEventLoops() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  public LoadGenerator(int eventLoops) {
    this.eventLoops = eventLoops;
  }

  /**
   * Runs {@code spec} to its end (duration or request count) or until {@code cancelled} returns
   * true; blocks the caller.
   */
  public LoadResult run(LoadSpec spec, BooleanSupplier cancelled) {
    long start = System.nanoTime();
    long end = spec.duration().isZero() ? start + (1L << 62) : start + spec.duration().toNanos();
    RunBudget budget = new RunBudget(end, spec.requests(), cancelled);
    LoadEngine engine =
        spec.url().getScheme().equals("http") && !spec.http2()
            ? new NioHttpEngine(eventLoops)
            : new JdkHttpEngine();
    LoadStats stats = engine.run(spec, budget, start);
    long stop = System.nanoTime();
    Duration elapsed = Duration.ofNanos(Math.max(1, Math.min(stop, end) - start));
    return LoadResult.from(stats, elapsed, cancelled.getAsBoolean());
  }
}
