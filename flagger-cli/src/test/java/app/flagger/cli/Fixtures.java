package app.flagger.cli;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.canary.CanaryStatus;
import app.flagger.model.canary.CanaryWebhook;
import app.flagger.model.canary.ThresholdRange;
import app.flagger.model.common.LocalObjectReference;
import app.flagger.model.control.AnalysisDecision;
import app.flagger.model.control.ControlStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;

/** Canaries as the tests need them: podinfo in namespace test. */
final class Fixtures {
  static final String NS = "test";
  static final String NAME = "podinfo";
  static final String T0 = "2026-12-06T10:00:00Z";

  private Fixtures() {}

  /** A canary release: steps of 10 up to 50, threshold 5, two metrics, a confirm-promotion gate. */
  static CanaryAnalysis canaryAnalysis() {
    return new CanaryAnalysis(
        "1m",
        5,
        50,
        10,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        List.of(
            new CanaryMetric(
                "request-success-rate",
                "1m",
                null,
                new ThresholdRange(99.0, null),
                null,
                null,
                null),
            new CanaryMetric(
                "request-duration", "1m", null, new ThresholdRange(null, 500.0), null, null, null)),
        List.of(
            new CanaryWebhook(
                "approval",
                "confirm-promotion",
                "http://flagger-loadtester.test/gate/check",
                null,
                null,
                null,
                null,
                null),
            new CanaryWebhook(
                "load-test",
                "rollout",
                "http://flagger-loadtester.test/",
                null,
                null,
                null,
                null,
                null)),
        null,
        null);
  }

  /** Blue/green: 5 iterations, threshold 2. */
  static CanaryAnalysis blueGreenAnalysis() {
    return new CanaryAnalysis(
        "1m", 2, null, null, null, null, 5, null, null, null, null, null, null, null, null, null);
  }

  static Canary canary(String name, CanaryAnalysis analysis, CanaryStatus status) {
    Canary c = new Canary();
    c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    c.setSpec(
        new CanarySpec(
            "istio",
            null,
            new LocalObjectReference("apps/v1", "Deployment", name),
            null,
            null,
            null,
            null,
            null,
            analysis,
            null,
            null,
            null,
            null,
            null));
    c.setStatus(status);
    return c;
  }

  static CanaryStatus status(
      CanaryPhase phase,
      int weight,
      int iterations,
      int failed,
      ControlStatus control,
      List<AnalysisDecision> decisions) {
    return new CanaryStatus(
        phase,
        failed,
        weight,
        iterations,
        null,
        null,
        null,
        T0,
        null,
        null,
        null,
        null,
        control,
        decisions);
  }

  static CanaryStatus status(CanaryPhase phase, int weight) {
    return status(phase, weight, 0, 0, null, null);
  }
}
