package app.flagger.controller.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HostPermitsTest {
  private static final String PROMETHEUS = "http://prometheus:9090";
  private static final String OTHER = "http://loadtester:80";

  @Test
  void noMoreThanTheLimitAreInFlightToOneOrigin() throws InterruptedException {
    HostPermits permits = new HostPermits(2);

    var first = permits.acquire(PROMETHEUS, Duration.ZERO);
    var second = permits.acquire(PROMETHEUS, Duration.ZERO);

    assertThat(first).isNotNull();
    assertThat(second).isNotNull();
    assertThat(permits.acquire(PROMETHEUS, Duration.ZERO)).isNull();
    assertThat(permits.inFlight(PROMETHEUS)).isEqualTo(2);
    // another origin has its own permits
    assertThat(permits.acquire(OTHER, Duration.ZERO)).isNotNull();

    first.close();

    assertThat(permits.acquire(PROMETHEUS, Duration.ZERO)).isNotNull();
  }

  @Test
  void aWaitingRequestGoesOnceAPermitIsGivenBack() throws InterruptedException {
    HostPermits permits = new HostPermits(1);
    var held = permits.acquire(PROMETHEUS, Duration.ZERO);
    AtomicReference<HostPermits.Permit> got = new AtomicReference<>();
    var waiting =
        CompletableFuture.runAsync(
            () -> {
              try {
                got.set(permits.acquire(PROMETHEUS, Duration.ofMinutes(5)));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });

    held.close();

    await().atMost(Duration.ofSeconds(30)).until(waiting::isDone);
    assertThat(got.get()).isNotNull();
    assertThat(permits.inFlight(PROMETHEUS)).isEqualTo(1);
  }

  @Test
  void aLimitBelowOneIsRefused() {
    assertThatThrownBy(() -> new HostPermits(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be at least 1, got 0");
  }
}
