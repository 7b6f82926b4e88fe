package app.flagger.controller.tick;

import app.flagger.controller.canary.TargetException;
import app.flagger.controller.observe.CanaryMetricsRecorder;
import app.flagger.model.canary.CanaryPhase;
import java.util.Set;

/**
 * "confirm-rollout" (Flagger's {@code checkCanaryStatus}): a run in progress goes on; a new
 * revision waits for the confirm-rollout gates, then the canary is scaled up and the run starts
 * (the analysis begins on the next tick).
 */
final class ConfirmRollout implements Step {
  private static final Set<CanaryPhase> RUNNING =
      Set.of(
          CanaryPhase.PROGRESSING,
          CanaryPhase.WAITING_PROMOTION,
          CanaryPhase.PROMOTING,
          CanaryPhase.FINALISING);

  private final Gates gates;
  private final CanaryMetricsRecorder recorder;

  ConfirmRollout(Gates gates, CanaryMetricsRecorder recorder) {
    this.gates = gates;
    this.recorder = recorder;
  }

  @Override
  public Decision run(Tick t) {
    recorder.setStatus(t.targetName(), t.ns(), t.phase());
    if (RUNNING.contains(t.phase())) {
      return Decision.CONTINUE;
    }
    Decision gate = gates.approval(t, Decision.Gate.ROLLOUT);
    if (gate != Decision.CONTINUE) {
      return gate;
    }
    try {
      t.target().scaleFromZero(t.canary());
    } catch (TargetException e) {
      return new Decision.Wait(e.getMessage(), true);
    }
    return new Decision.Started();
  }
}
