package app.flagger.controller.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.ControllerConfig;
import app.flagger.controller.KubeClients;
import app.flagger.controller.client.RateLimitInterceptor;
import app.flagger.controller.support.FaultInjectingDispatcher;
import app.flagger.controller.support.MockApiServer;
import app.flagger.controller.support.RegistryReader;
import app.flagger.model.metrics.FlaggerMetrics;
import app.flagger.model.metrics.FlaggerMetrics.CallTarget;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.helidon.metrics.api.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every Kubernetes API call of the production client is counted by outcome and timed. */
class KubeCallMetricsKubeTest {
  private final MeterRegistry registry = MeterRegistry.create();
  private RegistryReader scrape;
  private MockApiServer server;
  private FaultInjectingDispatcher faults;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server = MockApiServer.start();
    faults = server.api();
    client = client(0);
  }

  private KubernetesClient client(int retries) {
    Config base = server.config(retries);
    ControllerMetrics metrics = new ControllerMetrics(registry);
    // after the meters exist: the reader counts from here on
    scrape = new RegistryReader(registry);
    return KubeClients.create(
        base,
        ControllerConfig.defaults(),
        metrics,
        System::nanoTime,
        RateLimitInterceptor.Waiter.PARK);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void successesNotFoundAndServerErrorsAreCountedAndEveryAnsweredCallIsTimed() {
    client
        .configMaps()
        .inNamespace("test")
        .resource(new ConfigMapBuilder().withNewMetadata().withName("a").endMetadata().build())
        .create();
    client.configMaps().inNamespace("test").withName("a").get();
    // a 404 answers "does it exist?": not an error
    assertThat(client.configMaps().inNamespace("test").withName("missing").get()).isNull();
    faults.fail("GET", "/api/v1/namespaces/test/configmaps/a", 500, 1);
    assertThatThrownBy(() -> client.configMaps().inNamespace("test").withName("a").get())
        .isInstanceOf(KubernetesClientException.class);
    faults.fail("PUT", "/api/v1/namespaces/test/configmaps/a", 409, 1);
    assertThatThrownBy(
            () ->
                client
                    .configMaps()
                    .inNamespace("test")
                    .resource(
                        new ConfigMapBuilder()
                            .withNewMetadata()
                            .withName("a")
                            .withResourceVersion("1")
                            .endMetadata()
                            .build())
                    .update())
        .isInstanceOf(KubernetesClientException.class);

    assertThat(scrape.calls(CallTarget.KUBERNETES, FlaggerMetrics.OUTCOME_SUCCESS)).isEqualTo(3);
    assertThat(scrape.calls(CallTarget.KUBERNETES, FlaggerMetrics.OUTCOME_ERROR)).isEqualTo(2);
    assertThat(scrape.durations(CallTarget.KUBERNETES)).isEqualTo(5);
  }

  /**
   * fabric8 reports a connection failure to interceptors when it decides to retry it (up to {@code
   * requestRetryBackoffLimit}, 10 by default), not after the last attempt: an API server that is
   * down shows as errors, minus the final attempt of each request.
   */
  @Test
  void aRefusedConnectionThatIsRetriedIsAnError() {
    client.close();
    client = client(1);
    server.close();
    assertThatThrownBy(() -> client.configMaps().inNamespace("test").withName("a").get())
        .isInstanceOf(KubernetesClientException.class);
    assertThat(scrape.calls(CallTarget.KUBERNETES, FlaggerMetrics.OUTCOME_ERROR)).isEqualTo(1);
    assertThat(scrape.calls(CallTarget.KUBERNETES, FlaggerMetrics.OUTCOME_SUCCESS)).isZero();
  }
}
