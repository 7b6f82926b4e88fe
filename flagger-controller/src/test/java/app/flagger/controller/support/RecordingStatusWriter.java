package app.flagger.controller.support;

import app.flagger.controller.canary.CanaryStatusWriter;
import app.flagger.controller.canary.StatusBuilder;
import app.flagger.controller.canary.StatusWriter;
import app.flagger.controller.canary.TargetController;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanaryStatus;
import app.flagger.model.control.ControlStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Status writes in memory: each is recorded as text ({@code syncStatus Failed 0/0/0}, {@code
 * setFailedChecks 2}) and returns a copy of the Canary with the changed fields. A write that
 * carried a {@link #riding rider} is recorded with {@code " +rider"}.
 */
public final class RecordingStatusWriter implements StatusWriter {
  private final List<String> writes;
  private final AtomicReference<Consumer<StatusBuilder>> extra;
  private final Runnable ridden;

  public RecordingStatusWriter() {
    this(new ArrayList<>(), null, null);
  }

  private RecordingStatusWriter(
      List<String> writes, Consumer<StatusBuilder> extra, Runnable ridden) {
    this.writes = writes;
    this.extra = new AtomicReference<>(extra);
    this.ridden = ridden;
  }

  public List<String> writes() {
    synchronized (writes) {
      return List.copyOf(writes);
    }
  }

  @Override
  public StatusWriter riding(Consumer<StatusBuilder> extra, Runnable ridden) {
    return new RecordingStatusWriter(writes, extra, ridden);
  }

  /** Records {@code name} and returns {@code result}, with the rider's change on the first. */
  private Canary record(String name, Canary result) {
    Consumer<StatusBuilder> change = extra.getAndSet(null);
    synchronized (writes) {
      writes.add(change == null ? name : name + " +rider");
    }
    if (change == null) {
      return result;
    }
    ridden.run();
    return applied(result, change);
  }

  private static Canary applied(Canary c, Consumer<StatusBuilder> change) {
    StatusBuilder b = new StatusBuilder(c.getStatus());
    change.accept(b);
    Canary copy = new Canary();
    copy.setMetadata(c.getMetadata());
    copy.setSpec(c.getSpec());
    copy.setStatus(b.build());
    return copy;
  }

  @Override
  public Canary setPhaseInitializing(Canary c) {
    return record("setPhaseInitializing", with(c, CanaryPhase.INITIALIZING, 0, 0, 0));
  }

  @Override
  public Canary syncStatus(
      Canary c, TargetController target, CanaryPhase phase, int weight, int failed, int iter) {
    return record(
        "syncStatus " + phase.value() + " " + weight + "/" + failed + "/" + iter,
        with(c, phase, weight, failed, iter));
  }

  @Override
  public Canary setFailedChecks(Canary c, int value) {
    return record("setFailedChecks " + value, with(c, phase(c), weight(c), value, iterations(c)));
  }

  @Override
  public Canary setWeight(Canary c, int value) {
    return record("setWeight " + value, with(c, phase(c), value, failed(c), iterations(c)));
  }

  @Override
  public Canary setIterations(Canary c, int value) {
    return record("setIterations " + value, with(c, phase(c), weight(c), failed(c), value));
  }

  @Override
  public Canary setPhase(Canary c, CanaryPhase phase) {
    return record("setPhase " + phase.value(), with(c, phase, weight(c), failed(c), iterations(c)));
  }

  @Override
  public Canary markInvalid(Canary c, String problems) {
    return record("markInvalid " + problems, c);
  }

  @Override
  public Canary setControl(Canary c, UnaryOperator<ControlStatus> change) {
    return record(
        "setControl", withControl(c, CanaryStatusWriter.control(control(c), change), false));
  }

  @Override
  public Canary retry(Canary c, UnaryOperator<ControlStatus> change) {
    return record("retry", withControl(c, CanaryStatusWriter.control(control(c), change), true));
  }

  @Override
  public Canary write(Canary c, Consumer<StatusBuilder> change) {
    return record("write", applied(c, change));
  }

  @Override
  public void wrote(Canary stored) {}

  /** A copy of {@code c} with {@code control}; {@code retry} also clears the applied spec. */
  public static Canary withControl(Canary c, ControlStatus control, boolean retry) {
    Canary copy = new Canary();
    copy.setMetadata(c.getMetadata());
    copy.setSpec(c.getSpec());
    CanaryStatus s =
        c.getStatus() == null
            ? new CanaryStatus(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null)
            : c.getStatus();
    copy.setStatus(
        new CanaryStatus(
            s.phase(),
            retry ? Integer.valueOf(0) : s.failedChecks(),
            s.canaryWeight(),
            s.iterations(),
            s.trackedConfigs(),
            retry ? null : s.lastAppliedSpec(),
            s.lastPromotedSpec(),
            s.lastTransitionTime(),
            s.sessionAffinityCookie(),
            s.primarySessionAffinityCookie(),
            s.previousSessionAffinityCookie(),
            s.conditions(),
            control,
            s.decisions()));
    return copy;
  }

  private static ControlStatus control(Canary c) {
    return c.getStatus() == null ? null : c.getStatus().control();
  }

  /** A copy of {@code c} whose status has these values. */
  public static Canary with(Canary c, CanaryPhase phase, int weight, int failed, int iterations) {
    Canary copy = new Canary();
    copy.setMetadata(c.getMetadata());
    copy.setSpec(c.getSpec());
    CanaryStatus s = c.getStatus();
    copy.setStatus(
        new CanaryStatus(
            phase,
            failed,
            weight,
            iterations,
            s == null ? null : s.trackedConfigs(),
            s == null ? null : s.lastAppliedSpec(),
            s == null ? null : s.lastPromotedSpec(),
            s == null ? null : s.lastTransitionTime(),
            null,
            null,
            null,
            s == null ? null : s.conditions(),
            s == null ? null : s.control(),
            s == null ? null : s.decisions()));
    return copy;
  }

  private static CanaryPhase phase(Canary c) {
    return c.getStatus() == null ? CanaryPhase.NONE : c.getStatus().phaseOrNone();
  }

  private static int weight(Canary c) {
    return c.getStatus() == null ? 0 : c.getStatus().canaryWeightOrZero();
  }

  private static int failed(Canary c) {
    return c.getStatus() == null ? 0 : c.getStatus().failedChecksOrZero();
  }

  private static int iterations(Canary c) {
    return c.getStatus() == null ? 0 : c.getStatus().iterationsOrZero();
  }
}
