package app.flagger.controller.support;

import app.flagger.controller.ControllerConfig;
import app.flagger.controller.FlaggerController;
import app.flagger.controller.metrics.MetricAnalysis;
import app.flagger.controller.router.RouterFactory;
import app.flagger.controller.webhook.Backoff;
import app.flagger.controller.webhook.HelidonWebhookClient;
import app.flagger.model.provider.MeshProvider;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.helidon.metrics.api.MeterRegistry;

/**
 * A controller on the mock API server driven by hand: manual jobs, a mutable clock, recorded
 * events, an in-memory weighted router for {@code istio}, and real webhooks without backoff.
 */
public final class ControllerHarness implements AutoCloseable {
  public final KubernetesClient client;
  public final MutableClock clock;
  public final ManualJobScheduler jobs = new ManualJobScheduler();
  public final RecordingEvents events = new RecordingEvents();
  public final FakeMeshRouter mesh;
  public final MeterRegistry registry;
  public final FlaggerController controller;

  public ControllerHarness(
      KubernetesClient client,
      ControllerConfig config,
      MutableClock clock,
      FakeMeshRouter mesh,
      MeterRegistry registry,
      MetricAnalysis analysis) {
    this.client = client;
    this.clock = clock;
    this.mesh = mesh;
    this.registry = registry;
    this.controller =
        TestControllers.builder(client)
            .config(config)
            .clock(clock)
            .jobScheduler(jobs)
            .registry(registry)
            .metricAnalysis(analysis)
            .routers(new RouterFactory().register(MeshProvider.ISTIO, mesh))
            .webhookClient(new HelidonWebhookClient(Backoff.NONE))
            .addEventSink(events)
            .build();
    controller.startCaches();
  }

  public static ControllerHarness create(KubernetesClient client) {
    return new ControllerHarness(
        client,
        ControllerConfig.defaults(),
        MutableClock.atEpochDay(),
        new FakeMeshRouter(),
        MeterRegistry.create(),
        TestControllers.NO_METRICS);
  }

  /** What the informer would do for podinfo. */
  public void sync() {
    awaitCaches();
    controller.handler().sync(new CanaryFixture(client).get());
  }

  /** One tick of podinfo, ten seconds after the previous one, once the caches caught up. */
  public void tick() {
    awaitCaches();
    clock.advance(java.time.Duration.ofSeconds(10));
    controller.advancer().advance(CanaryFixture.NAME, CanaryFixture.NS);
  }

  /** Waits until the informer caches reflect every write made through the API so far. */
  public void awaitCaches() {
    CacheSync.await(controller.cache(), client);
  }

  @Override
  public void close() {
    CacheSync.awaitWatching(controller.cache());
    controller.close();
  }
}
