package app.flagger.controller.support;

import app.flagger.controller.router.MeshRouter;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A weighted mesh router in memory (Flagger's fake Istio router in events_test.go). */
public final class FakeMeshRouter implements MeshRouter {
  private final Map<String, Routes> routes = new ConcurrentHashMap<>();

  @Override
  public void reconcile(Canary canary) {
    routes.putIfAbsent(canary.key(), Routes.allPrimary());
  }

  @Override
  public void setRoutes(Canary canary, Routes r) {
    routes.put(canary.key(), r);
  }

  @Override
  public Routes getRoutes(Canary canary) {
    return routes.getOrDefault(canary.key(), Routes.allPrimary());
  }

  @Override
  public void finalize(Canary canary) {
    routes.remove(canary.key());
  }
}
