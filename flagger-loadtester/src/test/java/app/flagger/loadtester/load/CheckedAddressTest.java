package app.flagger.loadtester.load;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.loadtester.support.StubTarget;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * DNS rebinding: the made-up host {@code rebind.test} resolves to loopback once, then to the
 * metadata address. The run must go to the address that was checked, on both engines.
 */
class CheckedAddressTest {
  private final AtomicInteger lookups = new AtomicInteger();

  private final LoadGuard guard =
      new LoadGuard(
          LoadLimits.DEFAULT,
          new DestinationPolicy(
              List.of(),
              List.of(),
              host -> {
                if (!host.equals("rebind.test")) {
                  throw new UnknownHostException(host);
                }
                byte[] a =
                    lookups.getAndIncrement() == 0
                        ? new byte[] {127, 0, 0, 1}
                        : new byte[] {(byte) 169, (byte) 254, (byte) 169, (byte) 254};
                return new InetAddress[] {InetAddress.getByAddress(host, a)};
              },
              a -> false,
              () -> -1,
              Optional.empty()));

  private LoadSpec spec(StubTarget target, boolean http2) {
    URI url = URI.create("http://rebind.test:" + target.uri("/").getPort() + "/");
    return new LoadSpec(
        url, "GET", Map.of(), null, Duration.ZERO, 20, 2, 0, Duration.ofSeconds(30), http2, true);
  }

  @Test
  void eventLoopsConnectToTheCheckedAddress() {
    try (StubTarget target = new StubTarget(i -> 200)) {
      LoadSpec checked = guard.check(spec(target, false), LoadLimits.Flags.LOAD);
      assertThat(checked.address().getHostAddress()).isEqualTo("127.0.0.1");
      LoadResult r = new LoadGenerator(1).run(checked, () -> false);
      assertThat(r.errors()).isEmpty();
      assertThat(r.total()).isEqualTo(20);
      assertThat(target.requests()).isEqualTo(20);
      assertThat(lookups.get()).isEqualTo(1);
    }
  }

  @Test
  void theJdkClientIsHeldToTheCheckedAddress() {
    try (StubTarget target = new StubTarget(i -> 200)) {
      LoadSpec checked = guard.check(spec(target, true), LoadLimits.Flags.LOAD);
      LoadResult r = new LoadGenerator(1).run(checked, () -> false);
      // rebind.test exists nowhere but in the pin: every request reached the stub
      assertThat(r.errors()).isEmpty();
      assertThat(r.statusCounts()).containsEntry(200, 20L);
      assertThat(lookups.get()).isEqualTo(1);
    }
  }
}
