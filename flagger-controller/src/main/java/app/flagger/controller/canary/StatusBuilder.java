package app.flagger.controller.canary;

import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanaryStatus;
import app.flagger.model.common.Condition;
import app.flagger.model.control.AnalysisDecision;
import app.flagger.model.control.ControlStatus;
import java.util.List;
import java.util.Map;

/** A mutable copy of a {@link CanaryStatus}, for the status writer's per-field updates. */
public final class StatusBuilder {
  CanaryPhase phase;
  Integer failedChecks;
  Integer canaryWeight;
  Integer iterations;
  Map<String, String> trackedConfigs;
  String lastAppliedSpec;
  String lastPromotedSpec;
  String lastTransitionTime;
  String sessionAffinityCookie;
  String primarySessionAffinityCookie;
  String previousSessionAffinityCookie;
  List<Condition> conditions;
  ControlStatus control;
  List<AnalysisDecision> decisions;

  public StatusBuilder(CanaryStatus s) {
    if (s == null) {
      return;
    }
    phase = s.phase();
    failedChecks = s.failedChecks();
    canaryWeight = s.canaryWeight();
    iterations = s.iterations();
    trackedConfigs = s.trackedConfigs();
    lastAppliedSpec = s.lastAppliedSpec();
    lastPromotedSpec = s.lastPromotedSpec();
    lastTransitionTime = s.lastTransitionTime();
    sessionAffinityCookie = s.sessionAffinityCookie();
    primarySessionAffinityCookie = s.primarySessionAffinityCookie();
    previousSessionAffinityCookie = s.previousSessionAffinityCookie();
    conditions = s.conditions();
    control = s.control();
    decisions = s.decisions();
  }

  public ControlStatus control() {
    return control;
  }

  public void control(ControlStatus value) {
    control = value;
  }

  public List<AnalysisDecision> decisions() {
    return decisions;
  }

  public void decisions(List<AnalysisDecision> value) {
    decisions = value;
  }

  public List<Condition> conditions() {
    return conditions;
  }

  public void conditions(List<Condition> value) {
    conditions = value;
  }

  public CanaryStatus build() {
    return new CanaryStatus(
        phase,
        failedChecks,
        canaryWeight,
        iterations,
        trackedConfigs,
        lastAppliedSpec,
        lastPromotedSpec,
        lastTransitionTime,
        sessionAffinityCookie,
        primarySessionAffinityCookie,
        previousSessionAffinityCookie,
        conditions,
        control,
        decisions);
  }
}
