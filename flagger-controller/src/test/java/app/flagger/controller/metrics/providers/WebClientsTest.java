package app.flagger.controller.metrics.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebClientsTest {
  private static final Duration FIVE = Duration.ofSeconds(5);

  @Test
  void oneClientServesEveryPathOfAnOrigin() {
    var a = WebClients.of(URI.create("http://prometheus.reuse:9090"), FIVE, false);
    var b = WebClients.of(URI.create("http://prometheus.reuse:9090/prefix/api"), FIVE, false);

    assertThat(b).isSameAs(a);
  }

  @Test
  void anotherTimeoutTrustOrOriginGetsItsOwnClient() {
    var base = WebClients.of(URI.create("http://prometheus.own:9090"), FIVE, false);

    assertThat(
            WebClients.of(URI.create("http://prometheus.own:9090"), Duration.ofSeconds(2), false))
        .isNotSameAs(base);
    assertThat(WebClients.of(URI.create("http://prometheus.own:9090"), FIVE, true))
        .isNotSameAs(base);
    assertThat(WebClients.of(URI.create("https://prometheus.own:9090"), FIVE, false))
        .isNotSameAs(base);
    assertThat(WebClients.of(URI.create("http://prometheus.own:9091"), FIVE, false))
        .isNotSameAs(base);
  }

  @Test
  void keepsAtMostMaxClients() {
    for (int i = 0; i < WebClients.MAX + 50; i++) {
      WebClients.of(URI.create("http://host-" + i + ".bounded:9090"), FIVE, false);
    }

    assertThat(WebClients.size()).isEqualTo(WebClients.MAX);
  }
}
