package app.flagger.controller.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.ControllerHarness;
import app.flagger.controller.support.Crds;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The controller's Kubernetes Events, seen through the API as {@code kubectl describe} does. */
@EnableKubernetesMockClient(crud = true)
class RepeatedEventsKubeTest {
  private static final String NOT_READY =
      "podinfo-primary.default not ready: waiting for rollout to finish";

  KubernetesClient client;
  ControllerHarness h;

  @BeforeEach
  void setUp() {
    Crds.register(client);
    CanaryFixture fixture = new CanaryFixture(client).seed();
    fixture.create(
        CanaryFixture.spec("istio", CanaryFixture.analysis(50, null, null, 2, List.of())));
    h = ControllerHarness.create(client);
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  /** A Warning repeated every tick stays one Event with a growing count. */
  @Test
  void aWarningRepeatedEveryTickStaysOneEventWithAGrowingCount() {
    h.sync();
    // tick 1: primary created, never made ready: not ready
    h.tick();
    String firstTick = h.clock.instant().toString();
    await().atMost(Duration.ofSeconds(60)).until(() -> notReadyCounts().equals(List.of(1)));
    // ticks 2 to 5: still not ready, ten seconds apart
    for (int i = 2; i <= 5; i++) {
      h.tick();
    }
    String lastTick = h.clock.instant().toString();

    await().atMost(Duration.ofSeconds(60)).until(() -> notReadyCounts().equals(List.of(5)));
    Event e = notReady().getFirst();
    assertThat(e.getType()).isEqualTo("Warning");
    assertThat(e.getFirstTimestamp()).isEqualTo(firstTick);
    assertThat(e.getLastTimestamp()).isEqualTo(lastTick);
    // the log and the event webhook still get every occurrence
    assertThat(h.events.messages()).filteredOn(m -> m.startsWith(NOT_READY)).hasSize(5);
  }

  private List<Event> notReady() {
    return client.v1().events().inNamespace(CanaryFixture.NS).list().getItems().stream()
        .filter(e -> e.getMessage().startsWith(NOT_READY))
        .toList();
  }

  private List<Integer> notReadyCounts() {
    return notReady().stream().map(Event::getCount).toList();
  }
}
