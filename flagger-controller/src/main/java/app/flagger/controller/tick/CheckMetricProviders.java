package app.flagger.controller.tick;

import app.flagger.controller.events.CanaryEvents;
import app.flagger.controller.metrics.MetricAnalysis;
import java.util.Optional;

/**
 * "metric providers": while a Canary initializes, whether every metric provider its analysis needs
 * answers. A failure is reported and does not stop the tick.
 */
final class CheckMetricProviders implements Step {
  private final MetricAnalysis metrics;
  private final CanaryEvents events;

  CheckMetricProviders(MetricAnalysis metrics, CanaryEvents events) {
    this.metrics = metrics;
    this.events = events;
  }

  @Override
  public Decision run(Tick t) {
    if (t.skipAnalysis() || !t.initializing()) {
      return Decision.CONTINUE;
    }
    Optional<String> err = metrics.checkProviders(t.canary());
    if (err.isPresent()) {
      events.error(t.canary(), "Error checking metric providers: " + err.get());
    } else {
      events.info(t.canary(), "all the metrics providers are available!");
    }
    return Decision.CONTINUE;
  }
}
