package app.flagger.controller.tick;

/**
 * "primary": creates the primary workload when missing; while the Canary initializes (and runs an
 * analysis) the primary must also be ready, and one past its deadline is rolled back.
 */
final class InitializePrimary implements Step {
  @Override
  public Decision run(Tick t) {
    boolean skipReadiness = !t.initializing() || t.skipAnalysis();
    return Decision.of(t.target().initialize(t.canary(), skipReadiness));
  }
}
