package app.flagger.sandbox.e2e;

import app.flagger.sandbox.SandboxStack;
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
 * Watches a scenario's routing object and what the mesh did with the requests it split: every 250
 * ms it reads the canary weight the object holds and how many requests of the users (callers
 * outside the mesh) and of the load tester the canary and the primary answered, so a test can
 * compare the split it observed with the weights that were set.
 */
final class SplitObserver implements AutoCloseable {
  /**
   * One stretch of time at one canary weight, and the requests answered during it.
   *
   * @param users the users' requests (canary, primary)
   * @param load the load tester's requests (canary, primary)
   */
  record Stretch(int canaryWeight, Split users, Split load) {
    long all() {
      return users.all() + load.all();
    }

    long canary() {
      return users.canary() + load.canary();
    }
  }

  /** Requests answered by the canary and by the primary. */
  record Split(long canary, long primary) {
    long all() {
      return canary + primary;
    }

    Split minus(Split before) {
      return new Split(canary - before.canary, primary - before.primary);
    }
  }

  private final String namespace;
  private final Function<String, Map<String, Integer>> weights;
  private final MeshTelemetry telemetry;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("e2e-split-observer").unstarted(r));
  private final List<Stretch> stretches = new ArrayList<>();
  private int weight = -1;
  private Split usersAtStart = new Split(0, 0);
  private Split loadAtStart = new Split(0, 0);

  SplitObserver(
      String namespace, Function<String, Map<String, Integer>> weights, MeshTelemetry telemetry) {
    this.namespace = namespace;
    this.weights = weights;
    this.telemetry = telemetry;
    ticker.scheduleWithFixedDelay(this::sample, 0, 250, TimeUnit.MILLISECONDS);
  }

  private Split from(String source) {
    return new Split(count(source, "podinfo"), count(source, "podinfo-primary"));
  }

  private long count(String source, String workload) {
    return telemetry.requests(
        (RequestSeries s) ->
            s.reporter().equals("destination")
                && s.sourceWorkload().equals(source)
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
    Split users = from("unknown");
    Split load = from(SandboxStack.LOADTESTER);
    if (weight >= 0) {
      stretches.add(new Stretch(weight, users.minus(usersAtStart), load.minus(loadAtStart)));
    }
    weight = now;
    usersAtStart = users;
    loadAtStart = load;
  }

  /** The stretches so far, the current one included. */
  synchronized List<Stretch> stretches() {
    List<Stretch> out = new ArrayList<>(stretches);
    if (weight >= 0) {
      out.add(
          new Stretch(
              weight,
              from("unknown").minus(usersAtStart),
              from(SandboxStack.LOADTESTER).minus(loadAtStart)));
    }
    return out;
  }

  /** The canary weights the object held, in order. */
  List<Integer> weightsSeen() {
    return stretches().stream().map(Stretch::canaryWeight).toList();
  }

  private List<Stretch> shifted() {
    return stretches().stream().filter(s -> s.canaryWeight() > 0).toList();
  }

  /** The requests the canary answered while its weight was above 0, in percent. */
  double observedCanaryShare() {
    List<Stretch> shifted = shifted();
    long all = shifted.stream().mapToLong(Stretch::all).sum();
    return all == 0 ? Double.NaN : shifted.stream().mapToLong(Stretch::canary).sum() * 100.0 / all;
  }

  /** The share the weights promised for the same requests, in percent. */
  double expectedCanaryShare() {
    List<Stretch> shifted = shifted();
    long all = shifted.stream().mapToLong(Stretch::all).sum();
    return all == 0
        ? Double.NaN
        : shifted.stream().mapToDouble(s -> s.canaryWeight() * (double) s.all()).sum() / all;
  }

  /** The requests answered while the canary weight was above 0. */
  long shiftedRequests() {
    return shifted().stream().mapToLong(Stretch::all).sum();
  }

  /** The users' requests answered while the canary weight was above 0. */
  long shiftedUserRequests() {
    return shifted().stream().mapToLong(s -> s.users().all()).sum();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
