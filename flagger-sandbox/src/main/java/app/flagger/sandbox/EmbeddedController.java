package app.flagger.sandbox;

import app.flagger.controller.ControllerConfig;
import app.flagger.controller.ControllerServer;
import app.flagger.controller.FlaggerController;
import app.flagger.controller.ReadinessState;
import app.flagger.controller.StandardComponents;
import app.flagger.controller.events.EventSink;
import app.flagger.controller.observe.ControllerMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import io.helidon.webserver.WebServer;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Flagger controller embedded as in production ({@link StandardComponents}) with its own HTTP
 * server ({@code /metrics}, {@code /health}) on a free loopback port: Istio provider, builtin
 * metrics from the sandbox's Prometheus, the event webhook, no leader election.
 */
public final class EmbeddedController implements AutoCloseable {
  private final FlaggerController controller;
  private final WebServer server;

  private EmbeddedController(FlaggerController controller, WebServer server) {
    this.controller = controller;
    this.server = server;
  }

  /**
   * Starts the server, then the controller.
   *
   * @param settings {@code flagger.*} keys on top of the sandbox's (e.g. the mesh provider)
   * @param sinks extra event sinks (the demo's printer, a test's recorder)
   */
  public static EmbeddedController start(
      KubernetesClient client,
      String metricsServer,
      String eventWebhook,
      Map<String, String> settings,
      List<EventSink> sinks,
      Clock clock) {
    Map<String, String> keys = new HashMap<>();
    keys.put("flagger.mesh-provider", "istio");
    keys.put("flagger.metrics-server", metricsServer);
    keys.put("flagger.event-webhook", eventWebhook);
    keys.put("flagger.enable-leader-election", "false");
    keys.put("server.port", "0");
    keys.put("server.host", "127.0.0.1");
    keys.put("server.features.observe.endpoint", "/");
    keys.put("server.features.observe.observers.metrics.built-in-meter-name-format", "SNAKE");
    keys.putAll(settings);
    Config config = Config.just(ConfigSources.create(keys));
    ControllerConfig settingsRead = ControllerConfig.from(config, Map.of());
    ReadinessState readiness = new ReadinessState(false);
    WebServer server = ControllerServer.create(config, readiness);
    MeterRegistry registry = Services.get(MeterRegistry.class);
    server.start();
    // one ControllerMetrics for the controller and its provider and notifier calls, as in Main
    var builder =
        StandardComponents.builder(client, settingsRead, new ControllerMetrics(registry))
            .clock(clock)
            .registry(registry)
            .readiness(readiness);
    sinks.forEach(builder::addEventSink);
    FlaggerController controller = builder.build();
    try {
      controller.start();
    } catch (RuntimeException e) {
      server.stop();
      throw e;
    }
    return new EmbeddedController(controller, server);
  }

  public int port() {
    return server.port();
  }

  /** e.g. {@code http://127.0.0.1:40123}: {@code /metrics}, {@code /health}. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public FlaggerController controller() {
    return controller;
  }

  @Override
  public void close() {
    controller.close();
    server.stop();
  }
}
