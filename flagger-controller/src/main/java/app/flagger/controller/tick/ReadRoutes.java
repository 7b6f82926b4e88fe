package app.flagger.controller.tick;

import app.flagger.controller.observe.CanaryMetricsRecorder;
import app.flagger.controller.router.Routes;

/** "routes": the split the mesh router applies now, published in {@code flagger_canary_weight}. */
final class ReadRoutes implements Step {
  private final CanaryMetricsRecorder recorder;

  ReadRoutes(CanaryMetricsRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public Decision run(Tick t) {
    Routes routes = t.meshRouter().getRoutes(t.canary());
    recorder.setWeight(t.targetName(), t.ns(), routes.primaryWeight(), routes.canaryWeight());
    t.routes(routes);
    return Decision.CONTINUE;
  }
}
