package app.flagger.loadtester.load;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.loadtester.support.StubTarget;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {
  private final LoadGenerator generator = new LoadGenerator(2);

  private static LoadSpec requests(URI url, long n, int concurrency, double rate, boolean http2) {
    return new LoadSpec(
        url,
        "GET",
        Map.of(),
        null,
        Duration.ZERO,
        n,
        concurrency,
        rate,
        Duration.ofSeconds(30),
        http2,
        true);
  }

  /** A server answering every fourth request with 500: the counts must be exact. */
  @Test
  void countsAKnownMixOf200And500Exactly() {
    try (StubTarget target = StubTarget.everyNthFails(4)) {
      LoadResult r = generator.run(requests(target.uri("/"), 400, 8, 0, false), () -> false);
      assertThat(r.statusCounts()).containsExactlyInAnyOrderEntriesOf(Map.of(200, 300L, 500, 100L));
      assertThat(r.errors()).isEmpty();
      assertThat(r.total()).isEqualTo(400);
      assertThat(target.requests()).isEqualTo(400);
      assertThat(r.errorRatePercent()).isEqualTo(25.0);
      assertThat(r.latency().getTotalCount()).isEqualTo(400);
      assertThat(r.bytes()).isPositive();
    }
  }

  @Test
  void openModelSendsTheRequestedNumberAtTheRate() {
    try (StubTarget target = StubTarget.everyNthFails(2)) {
      LoadResult r = generator.run(requests(target.uri("/"), 60, 4, 400, false), () -> false);
      assertThat(r.statusCounts()).containsExactlyInAnyOrderEntriesOf(Map.of(200, 30L, 500, 30L));
      // 60 slots at 400/s span at least 147.5 ms after the first one
      assertThat(r.elapsed()).isGreaterThan(Duration.ofMillis(140));
    }
  }

  /**
   * Open model: while the server stalls on one request, the requests scheduled behind it are
   * charged the time they waited, so the stall shows in the percentiles (coordinated omission).
   */
  @Test
  void openModelChargesQueueingBehindAStall() throws Exception {
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    try (StubTarget target =
        new StubTarget(
            i -> {
              if (i == 5) {
                try {
                  never.await(500, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return 200;
            })) {
      LoadResult r = generator.run(requests(target.uri("/"), 60, 1, 100, false), () -> false);
      assertThat(r.statusCounts()).containsEntry(200, 60L);
      // slots 6..30 were due within 250 ms of the stall's start: each waited at least 250 ms
      assertThat(r.latency().getCountBetweenValues(250_000, Long.MAX_VALUE / 4))
          .isGreaterThanOrEqualTo(20);
      assertThat(r.latency().getMaxValue()).isGreaterThanOrEqualTo(490_000);
    }
  }

  @Test
  void jdkEngineCountsTheSameMix() {
    try (StubTarget target = StubTarget.everyNthFails(5)) {
      LoadResult r = generator.run(requests(target.uri("/"), 100, 4, 0, true), () -> false);
      assertThat(r.statusCounts()).containsExactlyInAnyOrderEntriesOf(Map.of(200, 80L, 500, 20L));
    }
  }

  @Test
  void newConnectionPerRequestWhenKeepAliveIsOff() {
    try (StubTarget target = StubTarget.everyNthFails(10)) {
      LoadSpec spec =
          new LoadSpec(
              target.uri("/x"),
              "GET",
              Map.of(),
              null,
              Duration.ZERO,
              50,
              2,
              0,
              Duration.ofSeconds(30),
              false,
              false);
      LoadResult r = generator.run(spec, () -> false);
      assertThat(r.statusCounts()).containsExactlyInAnyOrderEntriesOf(Map.of(200, 45L, 500, 5L));
    }
  }

  /** A server that closes every connection after one answer without saying so. */
  @Test
  void resendsOnAFreshConnectionWhenTheServerClosedAKeptAliveOne() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!server.isClosed()) {
                      try (java.net.Socket s = server.accept()) {
                        var in =
                            new java.io.BufferedReader(
                                new java.io.InputStreamReader(s.getInputStream()));
                        String line;
                        while ((line = in.readLine()) != null && !line.isEmpty()) {
                          // skip the request head
                        }
                        s.getOutputStream()
                            .write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes());
                        s.getOutputStream().flush();
                      } catch (java.io.IOException e) {
                        // closed at the end of the test
                      }
                    }
                  });
      URI url = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
      LoadResult r = generator.run(requests(url, 5, 1, 0, false), () -> false);
      assertThat(r.statusCounts()).containsExactlyEntriesOf(Map.of(200, 5L));
      assertThat(r.errors()).isEmpty();
      server.close();
      acceptor.join();
    }
  }

  @Test
  void refusedConnectionsAreCountedAsErrors() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    LoadResult r =
        generator.run(
            requests(URI.create("http://127.0.0.1:" + port + "/"), 20, 2, 0, false), () -> false);
    assertThat(r.responses()).isZero();
    assertThat(r.transportErrors()).isEqualTo(20);
    assertThat(r.errorRatePercent()).isEqualTo(100.0);
    assertThat(HeyReport.format(r)).contains("Error distribution:").contains("connection refused");
  }

  @Test
  void stopsWhenCancelled() {
    try (StubTarget target = StubTarget.everyNthFails(1000)) {
      LoadSpec spec =
          new LoadSpec(
              target.uri("/"),
              "GET",
              Map.of(),
              null,
              Duration.ofHours(1),
              0,
              2,
              0,
              Duration.ofSeconds(30),
              false,
              true);
      AtomicBoolean cancel = new AtomicBoolean();
      Thread.ofVirtual()
          .start(
              () -> {
                while (target.requests() < 50) {
                  Thread.onSpinWait();
                }
                cancel.set(true);
              });
      LoadResult r = generator.run(spec, cancel::get);
      assertThat(r.cancelled()).isTrue();
      assertThat(r.total()).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void reportLooksLikeHeys() {
    try (StubTarget target = StubTarget.everyNthFails(2)) {
      LoadResult r = generator.run(requests(target.uri("/"), 10, 2, 0, false), () -> false);
      assertThat(HeyReport.format(r))
          .contains(
              "Summary:",
              "Requests/sec:",
              "Latency distribution:",
              "99% in",
              "Status code distribution:",
              "[200]\t5 responses",
              "[500]\t5 responses");
    }
  }
}
