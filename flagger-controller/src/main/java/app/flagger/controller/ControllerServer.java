package app.flagger.controller;

import app.flagger.controller.observe.MetricsEndpoint;
import io.helidon.config.Config;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

/**
 * The controller's HTTP server: {@code /metrics} (Prometheus text, rendered by {@link
 * MetricsEndpoint} in front of Helidon's metrics observer), {@code /health} (liveness and
 * readiness) and {@code /healthz} for parity with Flagger. Meters must be registered only after
 * {@link #create} returns (build-notes §2).
 */
public final class ControllerServer {
  private ControllerServer() {}

  /** Builds (does not start) the server from the {@code server} node of {@code root}. */
  public static WebServer create(Config root, ReadinessState readiness) {
    Config observe = root.get("server.features.observe");
    ObserveFeature feature =
        ObserveFeature.builder()
            .config(observe)
            .observersDiscoverServices(false)
            .addObserver(MetricsObserver.builder().config(observe.get("observers.metrics")).build())
            .addObserver(
                HealthObserver.builder()
                    .details(true)
                    .addCheck(
                        () ->
                            HealthCheckResponse.builder()
                                .status(readiness.ready())
                                .detail("informersSynced", readiness.synced())
                                .detail("leader", readiness.leading())
                                .build(),
                        HealthCheckType.READINESS,
                        "flagger")
                    .build())
            .build();
    return WebServer.builder()
        .config(root.get("server"))
        .featuresDiscoverServices(false)
        .addFeature(feature)
        .routing(
            r -> {
              r.addFilter(MetricsEndpoint.at(metricsPath(observe)));
              routing(r);
            })
        .build();
  }

  /**
   * Where Helidon's metrics observer serves: its {@code endpoint} (default {@code metrics}) under
   * the observe feature's (default {@code /observe}), or on its own when absolute.
   */
  static String metricsPath(Config observe) {
    String metrics = observe.get("observers.metrics.endpoint").asString().orElse("metrics");
    if (metrics.startsWith("/")) {
      return metrics;
    }
    String base = observe.get("endpoint").asString().orElse("/observe");
    return (base.endsWith("/") ? base : base + "/") + metrics;
  }

  /** The controller's own routes besides the observe endpoints. */
  public static void routing(HttpRouting.Builder routing) {
    routing.get("/healthz", (req, res) -> res.send("OK"));
  }
}
