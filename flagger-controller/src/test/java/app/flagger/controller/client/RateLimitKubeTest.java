package app.flagger.controller.client;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.ControllerConfig;
import app.flagger.controller.KubeClients;
import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.controller.support.RegistryReader;
import app.flagger.model.metrics.FlaggerMetrics;
import app.flagger.model.metrics.FlaggerMetrics.CallTarget;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.helidon.metrics.api.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * kubeconfig-qps and kubeconfig-burst enforced on the real client path against the mock API server.
 * The limiter's time source is a counter that only the waiter moves, so the test counts permits and
 * waits exactly and no real time is measured.
 */
@EnableKubernetesMockClient(crud = true)
class RateLimitKubeTest {
  private static final long MS = 1_000_000L;

  KubernetesClient client;

  @Test
  void requestsBeyondTheBurstWaitOneQpsIntervalEach() {
    AtomicLong now = new AtomicLong();
    AtomicLong waits = new AtomicLong();
    MeterRegistry registry = MeterRegistry.create();
    ControllerMetrics metrics = new ControllerMetrics(registry);
    RegistryReader scrape = new RegistryReader(registry);
    ControllerConfig settings = ControllerConfig.defaults().withKubeClientLimits(10, 5);
    try (KubernetesClient limited =
        KubeClients.create(
            client.getConfiguration(),
            settings,
            metrics,
            now::get,
            nanos -> {
              waits.incrementAndGet();
              now.addAndGet(nanos);
            })) {
      limited
          .configMaps()
          .inNamespace("test")
          .resource(new ConfigMapBuilder().withNewMetadata().withName("a").endMetadata().build())
          .create();
      for (int i = 0; i < 24; i++) {
        assertThat(limited.configMaps().inNamespace("test").withName("a").get()).isNotNull();
      }
    }
    long calls = scrape.calls(CallTarget.KUBERNETES, FlaggerMetrics.OUTCOME_SUCCESS);
    assertThat(calls).isEqualTo(25);
    // 5 from the bucket, then each of the other 20 waits 1/qps = 100 ms of the limiter's time
    assertThat(waits.get()).isEqualTo(20);
    assertThat(now.get()).isEqualTo(20 * 100 * MS);
    String throttle = FlaggerMetrics.CONTROLLER_KUBE_THROTTLE.registrationName();
    assertThat(scrape.timer(throttle)).isEqualTo(25);
    assertThat(scrape.timerSeconds(throttle))
        .isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aNonPositiveQpsTurnsTheLimiterOff() {
    AtomicLong waits = new AtomicLong();
    MeterRegistry registry = MeterRegistry.create();
    ControllerMetrics metrics = new ControllerMetrics(registry);
    RegistryReader scrape = new RegistryReader(registry);
    ControllerConfig settings = ControllerConfig.defaults().withKubeClientLimits(0, 1);
    try (KubernetesClient unlimited =
        KubeClients.create(
            client.getConfiguration(),
            settings,
            metrics,
            () -> 0L,
            nanos -> waits.incrementAndGet())) {
      for (int i = 0; i < 10; i++) {
        unlimited.configMaps().inNamespace("test").withName("none").get();
      }
    }
    assertThat(waits.get()).isZero();
    assertThat(scrape.calls(CallTarget.KUBERNETES, FlaggerMetrics.OUTCOME_SUCCESS)).isEqualTo(10);
    assertThat(scrape.timer(FlaggerMetrics.CONTROLLER_KUBE_THROTTLE.registrationName())).isZero();
  }
}
