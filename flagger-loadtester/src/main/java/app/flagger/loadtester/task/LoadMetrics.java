package app.flagger.loadtester.task;

import app.flagger.loadtester.load.LoadResult;
import app.flagger.model.metrics.FlaggerMetrics;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Publishes load runs as {@code flagger_loadtester_requests_total{canary,code}} (code is the HTTP
 * status, or {@code error} for transport errors) and the {@code
 * flagger_loadtester_request_duration_seconds{canary}} histogram. The registry is looked up on
 * first use, after the web server (and its metrics observer) exists.
 */
public final class LoadMetrics {
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
    Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)
  };

  private final Supplier<MeterRegistry> registry;

  public LoadMetrics(Supplier<MeterRegistry> registry) {
    this.registry = registry;
  }

  /** Metrics that go nowhere. */
  public static LoadMetrics none() {
    return new LoadMetrics(() -> null);
  }

  public void record(String canary, LoadResult result) {
    MeterRegistry r = registry.get();
    if (r == null) {
      return;
    }
    result.statusCounts().forEach((code, n) -> counter(r, canary, code.toString()).increment(n));
    long errors = result.transportErrors();
    if (errors > 0) {
      counter(r, canary, "error").increment(errors);
    }
    Timer timer =
        r.getOrCreate(
            Timer.builder(FlaggerMetrics.LOADTESTER_LATENCY.registrationName())
                .description(FlaggerMetrics.LOADTESTER_LATENCY.help())
                .tags(List.of(Tag.create("canary", canary)))
                .percentiles(new double[0])
                .buckets(BUCKETS));
    for (var v : result.latency().recordedValues()) {
      Duration d = Duration.ofNanos(v.getValueIteratedTo() * 1000);
      for (long i = 0; i < v.getCountAtValueIteratedTo(); i++) {
        timer.record(d);
      }
    }
  }

  private static Counter counter(MeterRegistry r, String canary, String code) {
    return r.getOrCreate(
        Counter.builder(FlaggerMetrics.LOADTESTER_REQUESTS.registrationName())
            .description(FlaggerMetrics.LOADTESTER_REQUESTS.help())
            .tags(List.of(Tag.create("canary", canary), Tag.create("code", code))));
  }
}
