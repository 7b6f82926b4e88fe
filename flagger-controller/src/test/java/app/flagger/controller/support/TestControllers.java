package app.flagger.controller.support;

import app.flagger.controller.FlaggerController;
import app.flagger.controller.FlaggerControllerBuilder;
import app.flagger.controller.metrics.MetricAnalysis;
import app.flagger.controller.notifier.Alerter;
import app.flagger.controller.router.RouterFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/**
 * Test defaults for a controller: no metrics (every check passes), no alerts, and only the built-in
 * Kubernetes router. Production wiring has no such defaults ({@code StandardComponents}).
 */
public final class TestControllers {
  private TestControllers() {}

  /** Every check passes and no provider is asked anything. */
  public static final MetricAnalysis NO_METRICS =
      new MetricAnalysis() {
        @Override
        public Optional<String> checkProviders(app.flagger.model.canary.Canary canary) {
          return Optional.empty();
        }

        @Override
        public Result run(app.flagger.model.canary.Canary canary) {
          return new Result(List.of(), Optional.empty());
        }
      };

  /** Sends nothing. */
  public static final Alerter NO_ALERTS = (canary, message, withMetadata, severity) -> {};

  /** A builder with the client and the test defaults set. */
  public static FlaggerControllerBuilder builder(KubernetesClient client) {
    return FlaggerController.builder()
        .client(client)
        .metricAnalysis(NO_METRICS)
        .alerter(NO_ALERTS)
        .routers(new RouterFactory());
  }
}
