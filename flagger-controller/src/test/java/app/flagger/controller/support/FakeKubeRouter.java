package app.flagger.controller.support;

import app.flagger.controller.router.KubernetesRouter;
import app.flagger.model.canary.Canary;
import java.util.ArrayList;
import java.util.List;

/** The ClusterIP services router in memory: calls recorded. */
public final class FakeKubeRouter implements KubernetesRouter {
  private final List<String> calls = new ArrayList<>();

  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  @Override
  public synchronized void initialize(Canary canary) {
    calls.add("initialize");
  }

  @Override
  public synchronized void reconcile(Canary canary) {
    calls.add("reconcile");
  }

  @Override
  public synchronized void finalize(Canary canary) {
    calls.add("finalize");
  }
}
