package app.flagger.loadtester.bench;

import app.flagger.loadtester.load.HeyCommand;
import app.flagger.loadtester.load.HeyReport;
import app.flagger.loadtester.load.LoadGenerator;
import app.flagger.loadtester.load.LoadResult;
import app.flagger.loadtester.load.LoadSpec;
import java.util.List;
import java.util.Locale;

/**
 * Command-line entry to the built-in generator with hey's flags, for benchmarks: {@code java -cp
 * ... app.flagger.loadtester.bench.LoadBench -z 10s -c 16 http://127.0.0.1:8080/}. Prints hey's
 * report, then one machine-readable line {@code RESULT rps=... p50_ms=... p99_ms=...}.
 */
public final class LoadBench {
  private LoadBench() {}

  public static void main(String[] args) {
    LoadSpec spec;
    try {
      spec =
          HeyCommand.parse(
              List.of(args),
              f -> {
                throw new IllegalArgumentException("-D is not supported by LoadBench");
              });
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    int loops = Integer.getInteger("loops", LoadGenerator.defaultEventLoops());
    LoadResult r = new LoadGenerator(loops).run(spec, () -> false);
    System.out.print(HeyReport.format(r));
    System.out.printf(
        Locale.ROOT,
        "RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f total=%d errors=%d%n",
        r.requestsPerSecond(),
        r.percentile(50).toNanos() / 1e6,
        r.percentile(99).toNanos() / 1e6,
        r.total(),
        r.failed());
  }
}
