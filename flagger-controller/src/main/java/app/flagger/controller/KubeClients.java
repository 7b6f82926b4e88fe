package app.flagger.controller;

import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.controller.observe.KubeCallInterceptor;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * Builds the Kubernetes client: in-cluster ServiceAccount or {@code KUBECONFIG}. The fabric8 client
 * has no token-bucket limiter like client-go, so {@code kubeconfig-burst} bounds the requests in
 * flight; {@code kubeconfig-qps} is kept for parity and documented as such.
 */
public final class KubeClients {
  private KubeClients() {}

  public static KubernetesClient create(ControllerConfig settings, ControllerMetrics metrics) {
    Config base = Config.autoConfigure(null);
    Config config =
        new ConfigBuilder(base)
            .withMaxConcurrentRequests(Math.max(1, settings.kubeconfigBurst()))
            .withUserAgent("flagger/" + settings.version())
            .build();
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientBuilderConsumer(
            b ->
                b.addOrReplaceInterceptor(
                    KubeCallInterceptor.NAME, new KubeCallInterceptor(metrics)))
        .build();
  }
}
