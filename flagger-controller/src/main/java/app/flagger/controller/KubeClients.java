package app.flagger.controller;

import app.flagger.controller.client.BoundedHttpClient;
import app.flagger.controller.client.BoundedHttpClientFactory;
import app.flagger.controller.client.RateLimitInterceptor;
import app.flagger.controller.client.TokenBucket;
import app.flagger.controller.leader.Leadership;
import app.flagger.controller.leader.WriteFence;
import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.controller.observe.KubeCallInterceptor;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.function.LongSupplier;

/**
 * Builds the Kubernetes client: in-cluster ServiceAccount or {@code KUBECONFIG}. As client-go does
 * for Flagger, every request takes a permit from a token bucket of {@code kubeconfig-qps} permits a
 * second and {@code kubeconfig-burst} in reserve ({@code kubeconfig-qps} 0 or less turns the limit
 * off); every request is counted and timed by {@link KubeCallInterceptor}. At most {@link
 * #MAX_REQUESTS_IN_FLIGHT} requests are in flight ({@link BoundedHttpClient}): the JDK HTTP client
 * multiplexes every request over one HTTP/2 connection and ignores fabric8's {@code
 * maxConcurrentRequests}, so without the bound a burst would exceed the server's stream limit.
 * Given a {@link Leadership}, the client refuses writes while this replica does not lead ({@link
 * WriteFence}).
 */
public final class KubeClients {
  /**
   * Requests in flight at most: below the smallest common HTTP/2 stream limit (100), with room for
   * the watches, and far above what 100 requests a second need (a few at a time).
   */
  public static final int MAX_REQUESTS_IN_FLIGHT = 64;

  private KubeClients() {}

  /** The controller's client, fenced by {@code leadership}. */
  public static KubernetesClient create(
      ControllerConfig settings, ControllerMetrics metrics, Leadership leadership) {
    return create(
        Config.autoConfigure(null),
        settings,
        metrics,
        System::nanoTime,
        RateLimitInterceptor.Waiter.PARK,
        leadership);
  }

  /**
   * The leader-election Lease's own client: no rate limiter, so renewals never wait behind the
   * ticks' requests (flagger#638: throttled renewals made Flagger lose the Lease in a loop); its
   * calls are counted like the others'.
   */
  public static KubernetesClient forLease(ControllerConfig settings, ControllerMetrics metrics) {
    Config config =
        new ConfigBuilder(Config.autoConfigure(null))
            .withUserAgent("flagger/" + settings.version())
            .build();
    KubeCallInterceptor calls = new KubeCallInterceptor(metrics);
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(new BoundedHttpClientFactory(MAX_REQUESTS_IN_FLIGHT, c -> {}))
        .withHttpClientBuilderConsumer(
            b -> b.addOrReplaceInterceptor(KubeCallInterceptor.NAME, calls))
        .build();
  }

  /**
   * A client on {@code base} (tests and the benchmark pass a mock server's configuration).
   *
   * @param nanoTime the rate limiter's time source
   * @param waiter how a throttled request waits
   */
  public static KubernetesClient create(
      Config base,
      ControllerConfig settings,
      ControllerMetrics metrics,
      LongSupplier nanoTime,
      RateLimitInterceptor.Waiter waiter) {
    return create(base, settings, metrics, nanoTime, waiter, null);
  }

  /**
   * The same, with writes refused while {@code leadership} says this replica does not lead ({@code
   * null}: no fence).
   */
  public static KubernetesClient create(
      Config base,
      ControllerConfig settings,
      ControllerMetrics metrics,
      LongSupplier nanoTime,
      RateLimitInterceptor.Waiter waiter,
      Leadership leadership) {
    Config config = new ConfigBuilder(base).withUserAgent("flagger/" + settings.version()).build();
    RateLimitInterceptor limiter =
        settings.kubeconfigQps() > 0
            ? new RateLimitInterceptor(
                new TokenBucket(
                    settings.kubeconfigQps(), Math.max(1, settings.kubeconfigBurst()), nanoTime),
                waiter,
                metrics)
            : null;
    KubeCallInterceptor calls = new KubeCallInterceptor(metrics);
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(
            new BoundedHttpClientFactory(
                MAX_REQUESTS_IN_FLIGHT, c -> metrics.kubeRequestsInFlight(c::inFlight)))
        .withHttpClientBuilderConsumer(
            b -> {
              // interceptors run in insertion order: a refused write takes no permit, and the
              // wait is not part of the call's duration
              if (leadership != null) {
                b.addOrReplaceInterceptor(WriteFence.NAME, new WriteFence(leadership));
              }
              if (limiter != null) {
                b.addOrReplaceInterceptor(RateLimitInterceptor.NAME, limiter);
              }
              b.addOrReplaceInterceptor(KubeCallInterceptor.NAME, calls);
            })
        .build();
  }
}
