package app.flagger.loadtester.bench;

import app.flagger.loadtester.grpc.GhzCommand;
import app.flagger.loadtester.grpc.GhzReport;
import app.flagger.loadtester.grpc.GhzResult;
import app.flagger.loadtester.grpc.GhzRunner;
import app.flagger.loadtester.grpc.GhzSpec;
import app.flagger.loadtester.grpc.GrpcLimits;
import java.util.List;
import java.util.Locale;

/**
 * Command-line entry to the built-in ghz, for benchmarks: {@code java -cp ...
 * app.flagger.loadtester.bench.GhzBench --insecure -z 10s -c 16 --connections 16 127.0.0.1:50051}.
 * Prints ghz's report, then one machine-readable line {@code RESULT rps=... p50_ms=... p99_ms=...
 * total=... errors=...} (latencies of OK calls, as ghz reports them).
 */
public final class GhzBench {
  private GhzBench() {}

  public static void main(String[] args) {
    GhzSpec spec;
    try {
      spec =
          GhzCommand.parse(
              List.of(args),
              f -> {
                throw new IllegalArgumentException("local files are not read by GhzBench");
              },
              GrpcLimits.DEFAULTS);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    GhzResult r;
    try {
      r = new GhzRunner().run(spec, () -> false);
    } catch (IllegalStateException e) {
      System.err.println(e.getMessage());
      System.exit(1);
      return;
    }
    System.out.print(GhzReport.format(r, spec.name()));
    System.out.printf(
        Locale.ROOT,
        "RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f total=%d errors=%d%n",
        r.requestsPerSecond(),
        r.reported().getValueAtPercentile(50) / 1e3,
        r.reported().getValueAtPercentile(99) / 1e3,
        r.count(),
        r.count() - r.ok());
  }
}
