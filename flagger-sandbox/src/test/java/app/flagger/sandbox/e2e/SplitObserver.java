package app.flagger.sandbox.e2e;

import app.flagger.sandbox.mesh.MeshTelemetry;
import app.flagger.sandbox.mesh.RequestSeries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Watches a scenario's routing object and what the mesh did with the users' requests: every 250 ms
 * it reads the canary weight the object holds and how many of the users' requests (callers outside
 * the mesh) the canary and the primary answered, so a test can compare the split it observed with
 * the weights that were set.
 */
final class SplitObserver implements AutoCloseable {
  /** One stretch of time at one canary weight, and the users' requests answered during it. */
  record Stretch(int canaryWeight, long canary, long primary) {}

  private final String namespace;
  private final Function<String, Map<String, Integer>> weights;
  private final MeshTelemetry telemetry;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("e2e-split-observer").unstarted(r));
  private final List<Stretch> stretches = new ArrayList<>();
  private int weight = -1;
  private long canaryAtStart;
  private long primaryAtStart;

  SplitObserver(
      String namespace, Function<String, Map<String, Integer>> weights, MeshTelemetry telemetry) {
    this.namespace = namespace;
    this.weights = weights;
    this.telemetry = telemetry;
    ticker.scheduleWithFixedDelay(this::sample, 0, 250, TimeUnit.MILLISECONDS);
  }

  private long users(String workload) {
    return telemetry.requests(
        (RequestSeries s) ->
            s.reporter().equals("destination")
                && s.sourceWorkload().equals("unknown")
                && s.destinationNamespace().equals(namespace)
                && s.destinationWorkload().equals(workload));
  }

  private synchronized void sample() {
    Map<String, Integer> w;
    try {
      w = weights.apply(namespace);
    } catch (RuntimeException e) {
      return; // not there yet
    }
    Integer now = w.get("podinfo-canary");
    if (now == null || now == weight) {
      return;
    }
    long canary = users("podinfo");
    long primary = users("podinfo-primary");
    if (weight >= 0) {
      stretches.add(new Stretch(weight, canary - canaryAtStart, primary - primaryAtStart));
    }
    weight = now;
    canaryAtStart = canary;
    primaryAtStart = primary;
  }

  /** The stretches so far, the current one included. */
  synchronized List<Stretch> stretches() {
    List<Stretch> out = new ArrayList<>(stretches);
    if (weight >= 0) {
      out.add(
          new Stretch(
              weight, users("podinfo") - canaryAtStart, users("podinfo-primary") - primaryAtStart));
    }
    return out;
  }

  /** The canary weights the object held, in order. */
  List<Integer> weightsSeen() {
    return stretches().stream().map(Stretch::canaryWeight).toList();
  }

  /** The users' requests the canary answered while its weight was above 0, in percent. */
  double observedCanaryShare() {
    List<Stretch> shifted = stretches().stream().filter(s -> s.canaryWeight() > 0).toList();
    long canary = shifted.stream().mapToLong(Stretch::canary).sum();
    long all = shifted.stream().mapToLong(s -> s.canary() + s.primary()).sum();
    return all == 0 ? Double.NaN : canary * 100.0 / all;
  }

  /** The share the weights promised for the same requests, in percent. */
  double expectedCanaryShare() {
    List<Stretch> shifted = stretches().stream().filter(s -> s.canaryWeight() > 0).toList();
    double weighted =
        shifted.stream().mapToDouble(s -> s.canaryWeight() * (s.canary() + s.primary())).sum();
    long all = shifted.stream().mapToLong(s -> s.canary() + s.primary()).sum();
    return all == 0 ? Double.NaN : weighted / all;
  }

  /** The users' requests answered while the canary weight was above 0. */
  long shiftedRequests() {
    return stretches().stream()
        .filter(s -> s.canaryWeight() > 0)
        .mapToLong(s -> s.canary() + s.primary())
        .sum();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
