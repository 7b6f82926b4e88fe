package app.flagger.loadtester.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Caller-supplied framing and hop-by-hop headers: refused or normalised, one rule per header. */
class LoadGuardTest {
  private final LoadGuard guard =
      new LoadGuard(
          LoadLimits.DEFAULT,
          new DestinationPolicy(
              List.of(),
              List.of("app.example.com"),
              h -> {
                if (h.startsWith("kubernetes")) {
                  throw new UnknownHostException(h);
                }
                return new InetAddress[] {InetAddress.getByAddress(h, new byte[] {10, 0, 0, 7})};
              },
              a -> false,
              () -> -1,
              Optional.empty()));

  private static LoadSpec spec(Map<String, String> headers) {
    return new LoadSpec(
        URI.create("http://podinfo-canary.test:9898/"),
        "POST",
        headers,
        "{}".getBytes(),
        Duration.ofSeconds(10),
        0,
        2,
        0,
        Duration.ofSeconds(5),
        false,
        true);
  }

  private LoadSpec check(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("X-Canary", "insider");
    h.put(name, value);
    return guard.check(spec(h), LoadLimits.Flags.HEY);
  }

  @Test
  void framingAndHopByHopHeadersAreRefusedByName() {
    for (String name : List.of("Content-Length", "transfer-encoding", "TE", "Trailer", "Upgrade")) {
      assertThatThrownBy(() -> check(name, "5"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "header "
                  + name
                  + ": refused, the load tester sets the framing and protocol of its requests"
                  + " itself");
    }
    for (String name : List.of("Proxy-Authorization", "Proxy-Connection")) {
      assertThatThrownBy(() -> check(name, "x"))
          .hasMessage("header " + name + ": refused, the load tester does not go through proxies");
    }
  }

  @Test
  void connectionCloseTurnsKeepAliveOffAndKeepAliveHeadersAreDropped() {
    LoadSpec close = check("Connection", "close");
    assertThat(close.keepAlive()).isFalse();
    assertThat(close.headers()).containsOnlyKeys("X-Canary");
    LoadSpec keep = check("Connection", "Keep-Alive");
    assertThat(keep.keepAlive()).isTrue();
    assertThat(keep.headers()).containsOnlyKeys("X-Canary");
    assertThat(check("Keep-Alive", "timeout=5").headers()).containsOnlyKeys("X-Canary");
    assertThatThrownBy(() -> check("Connection", "Upgrade"))
        .hasMessage(
            "header Connection: only \"close\" (a new connection per request) or \"keep-alive\""
                + " is accepted, got \"Upgrade\"");
  }

  @Test
  void aHostHeaderMustNameTheUrlsHostOrAnAllowedVirtualHost() {
    assertThat(check("Host", "podinfo-canary.test").headers())
        .containsEntry("Host", "podinfo-canary.test");
    assertThat(check("Host", "PODINFO-CANARY.test:9898").headers()).containsKey("Host");
    assertThat(check("host", "app.example.com").headers()).containsEntry("host", "app.example.com");
    assertThatThrownBy(() -> check("Host", "kubernetes.default.svc"))
        .hasMessage(
            "header Host: \"kubernetes.default.svc\" differs from the URL's host"
                + " podinfo-canary.test; add it to loadtester.destinations.virtual-hosts to send"
                + " load to that virtual host");
    assertThatThrownBy(() -> check("Host", "podinfo-canary.test:80"))
        .hasMessageStartingWith("header Host:");
  }

  @Test
  void theCheckedAddressTravelsWithTheSpec() {
    LoadSpec s = check("Accept", "*/*");
    assertThat(s.address().getHostAddress()).isEqualTo("10.0.0.7");
    assertThat(s.headers()).containsEntry("Accept", "*/*");
  }
}
