package app.flagger.controller.tick;

import app.flagger.controller.observe.CanaryMetricsRecorder;
import app.flagger.controller.router.Routes;

/**
 * Moves traffic: applies a split through the tick's mesh router, then publishes it in {@code
 * flagger_canary_weight}. A router failure is thrown ({@code RouterException}) and nothing is
 * published.
 */
public final class Traffic {
  private final CanaryMetricsRecorder recorder;

  public Traffic(CanaryMetricsRecorder recorder) {
    this.recorder = recorder;
  }

  public void route(Tick t, Routes routes) {
    t.meshRouter().setRoutes(t.canary(), routes);
    recorder.setWeight(t.targetName(), t.ns(), routes.primaryWeight(), routes.canaryWeight());
  }
}
