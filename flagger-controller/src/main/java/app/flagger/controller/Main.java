package app.flagger.controller;

import app.flagger.controller.leader.Leadership;
import app.flagger.controller.observe.CanaryMetricsRecorder;
import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.model.logging.JsonLogging;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.helidon.config.Config;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import io.helidon.webserver.WebServer;
import java.time.Clock;
import java.util.logging.Logger;

/** Composition root of the controller: config, HTTP server, Kubernetes client, controller. */
public final class Main {
  private static final Logger LOG = Logger.getLogger(Main.class.getName());

  private Main() {}

  public static void main(String[] args) {
    // first: every line the process writes, libraries' included, is one JSON object
    JsonLogging.install(Main.class);
    Config config = Config.create();
    ControllerConfig settings = ControllerConfig.from(config);
    ReadinessState readiness = new ReadinessState(settings.enableLeaderElection());
    WebServer server = ControllerServer.create(config, readiness);
    MeterRegistry registry = Services.get(MeterRegistry.class);
    new CanaryMetricsRecorder(registry).setInfo(settings.version(), settings.meshProvider());
    server.start();
    LOG.info(
        "Starting flagger version "
            + settings.version()
            + " mesh provider "
            + settings.meshProvider()
            + " on port "
            + server.port());
    ControllerMetrics metrics = new ControllerMetrics(registry);
    // the client refuses writes while this replica does not lead
    Leadership leadership = new Leadership();
    KubernetesClient client = KubeClients.create(settings, metrics, leadership);
    // the Lease has its own client, outside the rate limiter: renewals never wait behind ticks
    KubernetesClient leaseClient = KubeClients.forLease(settings, metrics);
    FlaggerController controller =
        StandardComponents.builder(client, settings, metrics)
            .leaseClient(leaseClient)
            .leadership(leadership)
            .clock(Clock.systemUTC())
            .registry(registry)
            .readiness(readiness)
            .build();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  controller.close();
                  client.close();
                  leaseClient.close();
                  server.stop();
                },
                "flagger-shutdown"));
    controller.start();
  }
}
