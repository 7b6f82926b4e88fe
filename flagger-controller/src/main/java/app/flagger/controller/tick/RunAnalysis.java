package app.flagger.controller.tick;

import app.flagger.controller.events.CanaryEvents;
import app.flagger.controller.metrics.MetricAnalysis;
import app.flagger.controller.observe.CanaryMetricsRecorder;
import app.flagger.model.control.AnalysisDecision.CheckResult;
import java.util.ArrayList;
import java.util.List;

/**
 * "analysis": on the first analysis tick the pre-rollout hooks (then traffic moves in the same
 * tick); on the others the rollout hooks, then the metric checks. A failure is a failed check. A
 * pending {@code promote-full} command promotes instead, as a completed analysis does; a pending
 * {@code promote} skips this tick's rollout hooks and metric checks, so the traffic step is taken.
 * When the threshold checks pass and the analysis compares metrics, the judge decides next ({@link
 * JudgeStep}).
 */
final class RunAnalysis implements Step {
  private final Gates gates;
  private final MetricAnalysis metrics;
  private final CanaryMetricsRecorder recorder;
  private final CanaryEvents events;
  private final Promotion promotion;
  private final JudgeStep judge;

  RunAnalysis(
      Gates gates,
      MetricAnalysis metrics,
      CanaryMetricsRecorder recorder,
      CanaryEvents events,
      Promotion promotion) {
    this.gates = gates;
    this.metrics = metrics;
    this.recorder = recorder;
    this.events = events;
    this.promotion = promotion;
    this.judge = new JudgeStep(metrics, recorder);
  }

  @Override
  public Decision run(Tick t) {
    if (t.control().promoteFullOrFalse()) {
      return promotion.copy(t);
    }
    boolean mirroring = t.analysis().mirrored() && t.routes().mirrored();
    if (t.canaryWeight() == 0 && t.iterations() == 0 && !mirroring) {
      events.info(t.canary(), "Starting canary analysis for " + t.targetKey());
      return gates.preRollout(t);
    }
    if (t.control().promoteNextOrFalse()) {
      events.info(t.canary(), "Skipping the checks of " + t.key() + ": promotion requested");
      return Decision.CONTINUE;
    }
    Decision hooks = gates.rollout(t);
    if (hooks != Decision.CONTINUE) {
      return hooks;
    }
    MetricAnalysis.Result result = metrics.run(t.canary());
    List<CheckResult> checks = new ArrayList<>(DecisionLog.checks(t.canary(), result));
    result
        .values()
        .forEach(v -> recorder.setAnalysis(t.targetName(), t.ns(), v.metric(), v.value()));
    Decision decision =
        result.failure().<Decision>map(Decision.Halt::new).orElseGet(() -> judge.run(t, checks));
    t.checks(List.copyOf(checks));
    return decision;
  }
}
