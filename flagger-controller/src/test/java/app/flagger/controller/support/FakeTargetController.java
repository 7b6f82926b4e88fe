package app.flagger.controller.support;

import app.flagger.controller.canary.Readiness;
import app.flagger.controller.canary.TargetController;
import app.flagger.controller.canary.TargetException;
import app.flagger.controller.canary.TargetMetadata;
import app.flagger.model.canary.Canary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A target controller in memory: readiness and change detection set by the test, calls recorded.
 */
public final class FakeTargetController implements TargetController {
  public Readiness primary = Readiness.READY;
  public Readiness canary = Readiness.READY;
  public boolean targetChanged;
  public boolean dependenciesChanged;

  /** When set, every call of that name throws a TargetException with this message. */
  public String failing;

  public String failingMessage = "target failed";
  private final List<String> calls = new ArrayList<>();

  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  private synchronized void call(String name) {
    calls.add(name);
    if (name.equals(failing)) {
      throw new TargetException(failingMessage);
    }
  }

  @Override
  public TargetMetadata metadata(Canary c) {
    call("metadata");
    return null;
  }

  @Override
  public Readiness initialize(Canary c, boolean skipReadiness) {
    call("initialize" + (skipReadiness ? "" : "+ready"));
    return skipReadiness ? Readiness.READY : primary;
  }

  @Override
  public Readiness isPrimaryReady(Canary c) {
    call("isPrimaryReady");
    return primary;
  }

  @Override
  public Readiness isCanaryReady(Canary c) {
    call("isCanaryReady");
    return canary;
  }

  @Override
  public void promote(Canary c) {
    call("promote");
  }

  @Override
  public boolean hasTargetChanged(Canary c) {
    return targetChanged;
  }

  @Override
  public boolean haveDependenciesChanged(Canary c) {
    return dependenciesChanged;
  }

  @Override
  public void scaleToZero(Canary c) {
    call("scaleToZero");
  }

  @Override
  public void scaleFromZero(Canary c) {
    call("scaleFromZero");
  }

  @Override
  public String targetHash(Canary c) {
    return "hash";
  }

  @Override
  public Map<String, String> trackedConfigs(Canary c) {
    return Map.of();
  }

  @Override
  public Readiness finalize(Canary c) {
    call("finalize");
    return Readiness.READY;
  }
}
