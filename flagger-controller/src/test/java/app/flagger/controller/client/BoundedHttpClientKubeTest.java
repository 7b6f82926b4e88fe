package app.flagger.controller.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.ControllerConfig;
import app.flagger.controller.KubeClients;
import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.controller.support.FaultInjectingDispatcher;
import app.flagger.controller.support.MockApiServer;
import app.flagger.controller.support.RegistryReader;
import app.flagger.model.metrics.FlaggerMetrics;
import app.flagger.model.metrics.FlaggerMetrics.CallTarget;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.helidon.metrics.api.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * More concurrent requests than the API server's HTTP/2 stream limit (the mock server's is 100):
 * the controller's client keeps at most {@link KubeClients#MAX_REQUESTS_IN_FLIGHT} in flight, the
 * others wait, and every request succeeds on its first attempt. Without the bound the JDK client
 * fails the requests beyond the limit with "too many concurrent streams".
 */
class BoundedHttpClientKubeTest {
  private static final int CALLERS = 150;
  private static final String PATH = "/api/v1/namespaces/test/configmaps/a";

  private final MeterRegistry registry = MeterRegistry.create();
  private MockApiServer server;
  private FaultInjectingDispatcher api;
  private KubernetesClient client;
  private RegistryReader scrape;

  @BeforeEach
  void start() {
    server = MockApiServer.start();
    api = server.api();
    ControllerMetrics metrics = new ControllerMetrics(registry);
    // no retries: a request refused by the HTTP client would fail the test, not be hidden
    client =
        KubeClients.create(
            server.config(0),
            ControllerConfig.defaults().withKubeClientLimits(0, 0),
            metrics,
            System::nanoTime,
            RateLimitInterceptor.Waiter.PARK);
    scrape = new RegistryReader(registry);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void requestsBeyondTheLimitWaitForASlotInsteadOfFailing() throws Exception {
    client
        .configMaps()
        .inNamespace("test")
        .resource(new ConfigMapBuilder().withNewMetadata().withName("a").endMetadata().build())
        .create();
    // the first GET holds the mock server (it serves one request at a time), so every other
    // request stays unanswered until it is released
    CountDownLatch release = api.hold("GET", PATH);
    List<Future<ConfigMap>> answers = new ArrayList<>();
    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < CALLERS; i++) {
        answers.add(
            callers.submit(() -> client.configMaps().inNamespace("test").withName("a").get()));
      }
      assertThat(api.awaitHeld("GET", PATH, 60)).isTrue();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> inFlight() == KubeClients.MAX_REQUESTS_IN_FLIGHT);
      // the others wait for a slot; none is refused meanwhile
      assertThat(scrape.calls(CallTarget.KUBERNETES, FlaggerMetrics.OUTCOME_ERROR)).isZero();
      release.countDown();
      for (Future<ConfigMap> answer : answers) {
        assertThat(answer.get().getMetadata().getName()).isEqualTo("a");
      }
    }
    assertThat(scrape.calls(CallTarget.KUBERNETES, FlaggerMetrics.OUTCOME_ERROR)).isZero();
    // the create, then every GET
    assertThat(scrape.calls(CallTarget.KUBERNETES, FlaggerMetrics.OUTCOME_SUCCESS))
        .isEqualTo(1 + CALLERS);
    // a slot is freed by the completion of the request, right after its caller was answered
    await().atMost(Duration.ofSeconds(60)).until(() -> inFlight() == 0);
  }

  private int inFlight() {
    return ((BoundedHttpClient) client.getHttpClient()).inFlight();
  }
}
