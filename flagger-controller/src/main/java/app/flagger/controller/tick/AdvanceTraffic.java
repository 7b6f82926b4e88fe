package app.flagger.controller.tick;

import app.flagger.controller.events.CanaryEvents;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.DeploymentStrategy;

/**
 * "traffic": the checks passed, so the strategy moves traffic, counts an iteration or promotes. The
 * {@code kubernetes} provider cannot split traffic: it always runs blue/green, with 10 iterations
 * when none are set, and says so every tick as Flagger does.
 */
final class AdvanceTraffic implements Step {
  private final CanaryStrategy canary;
  private final BlueGreenStrategy blueGreen;
  private final AbTestingStrategy abTesting;
  private final CanaryEvents events;

  AdvanceTraffic(
      CanaryStrategy canary,
      BlueGreenStrategy blueGreen,
      AbTestingStrategy abTesting,
      CanaryEvents events) {
    this.canary = canary;
    this.blueGreen = blueGreen;
    this.abTesting = abTesting;
    this.events = events;
  }

  @Override
  public Decision run(Tick t) {
    CanaryAnalysis a = t.analysis();
    int iterations = a.iterationsOrZero();
    DeploymentStrategy strategy = t.canary().getSpec().strategy();
    if (t.kubernetesProvider()) {
      if (!a.matchOrEmpty().isEmpty()) {
        events.warn(t.canary(), "A/B testing is not supported when using the kubernetes provider");
      }
      if (iterations < 1) {
        events.warn(
            t.canary(), "Progressive traffic is not supported when using the kubernetes provider");
        events.warn(t.canary(), "Setting canaryAnalysis.iterations: 10");
        iterations = 10;
      }
      strategy = DeploymentStrategy.BLUE_GREEN;
    }
    return switch (strategy) {
      case AB_TESTING -> abTesting.run(t, iterations);
      case BLUE_GREEN -> blueGreen.run(t, iterations);
      case CANARY -> canary.run(t);
    };
  }
}
