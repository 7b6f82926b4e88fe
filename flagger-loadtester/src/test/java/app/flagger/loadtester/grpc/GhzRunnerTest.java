package app.flagger.loadtester.grpc;

import static app.flagger.loadtester.support.GrpcTestServer.CHECK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import app.flagger.loadtester.load.CommandLine;
import app.flagger.loadtester.support.GrpcTestServer;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import io.grpc.Metadata;
import io.grpc.health.v1.HealthProto;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The built-in ghz against a grpc-java health server over loopback TCP. */
class GhzRunnerTest {
  private static final Function<String, byte[]> NO_FILES =
      f -> {
        throw new IllegalArgumentException("no local files");
      };

  private static GhzSpec spec(String commandLine) {
    return spec(commandLine, NO_FILES);
  }

  private static GhzSpec spec(String commandLine, Function<String, byte[]> files) {
    return GhzCommand.parse(CommandLine.split(commandLine), files, GrpcLimits.DEFAULTS);
  }

  @Test
  void makesExactlyTheRequestedNumberOfCalls() {
    try (GrpcTestServer server = GrpcTestServer.start()) {
      GhzResult r =
          new GhzRunner()
              .run(
                  spec(
                      "--insecure --call grpc.health.v1.Health/Check -d '{\"service\":\"\"}'"
                          + " -n 100 -c 10 "
                          + server.address()),
                  () -> false);
      assertThat(r.count()).isEqualTo(100);
      assertThat(r.codes()).isEqualTo(Map.of("OK", 100L));
      assertThat(r.errors()).isEmpty();
      assertThat(server.calls(CHECK)).isEqualTo(100);
      assertThat(GhzReport.format(r, null))
          .contains("  Count:\t100\n", "Status code distribution:\n  [OK]   100 responses   \n");
    }
  }

  @Test
  void keepsExactlyConcurrencyCallsInFlight() {
    try (GrpcTestServer server = GrpcTestServer.start()) {
      // the first 4 calls are held until all 4 are in flight: a fifth would show in the maximum
      server.holdFirst(4);
      GhzResult r =
          new GhzRunner().run(spec("--insecure -n 40 -c 4 " + server.address()), () -> false);
      assertThat(r.count()).isEqualTo(40);
      assertThat(server.maxInFlight()).isEqualTo(4);
      assertThat(server.calls(CHECK)).isEqualTo(40);
    }
  }

  @Test
  void runsForTheDurationOnTheGivenClock() throws Exception {
    try (GrpcTestServer server = GrpcTestServer.start()) {
      AtomicLong clock = new AtomicLong(1_000_000_000L);
      GhzRunner runner = new GhzRunner(clock::get);
      GhzSpec spec = spec("--insecure -z 10s -c 2 " + server.address());
      CompletableFuture<GhzResult> run =
          CompletableFuture.supplyAsync(() -> runner.run(spec, () -> false));
      await().atMost(Duration.ofSeconds(30)).until(() -> server.calls(CHECK) >= 20);
      assertThat(run).isNotDone();
      clock.addAndGet(Duration.ofSeconds(10).toNanos());
      GhzResult r = run.get();
      assertThat(r.total()).isEqualTo(Duration.ofSeconds(10));
      assertThat(r.count()).isGreaterThanOrEqualTo(20).isLessThanOrEqualTo(server.calls(CHECK));
      assertThat(r.codes()).containsOnlyKeys("OK");
      assertThat(GhzReport.format(r, null)).contains("  Total:\t10.00 s\n");
    }
  }

  @Test
  void sendsTheJsonDataAndMetadataThroughReflection() {
    try (GrpcTestServer server = GrpcTestServer.start()) {
      GhzResult serving =
          new GhzRunner()
              .run(
                  spec(
                      "--insecure --call grpc.health.v1.Health.Check -d '{\"service\":\"podinfo\"}'"
                          + " -m '{\"X-Canary\":\"yes\"}' -n 5 -c 1 "
                          + server.address()),
                  () -> false);
      assertThat(serving.codes()).isEqualTo(Map.of("OK", 5L));
      assertThat(server.headers())
          .allMatch(
              h ->
                  "yes"
                      .equals(
                          h.get(Metadata.Key.of("x-canary", Metadata.ASCII_STRING_MARSHALLER))));
      GhzResult unknown =
          new GhzRunner()
              .run(
                  spec(
                      "--insecure --call grpc.health.v1.Health/Check -d '{\"service\":\"nope\"}'"
                          + " -n 3 -c 1 "
                          + server.address()),
                  () -> false);
      assertThat(unknown.count()).isEqualTo(3);
      assertThat(unknown.codes()).isEqualTo(Map.of("NotFound", 3L));
      assertThat(unknown.errors())
          .isEqualTo(Map.of("rpc error: code = NotFound desc = unknown service nope", 3L));
    }
  }

  @Test
  void fallsBackToTheOlderReflectionService() {
    try (GrpcTestServer server = GrpcTestServer.withV1alphaReflection()) {
      GhzResult r =
          new GhzRunner()
              .run(
                  spec("--insecure -d '{\"service\":\"down\"}' -n 3 -c 1 " + server.address()),
                  () -> false);
      assertThat(r.codes()).isEqualTo(Map.of("OK", 3L));
    }
  }

  @Test
  void reportsFailedCallsByStatusAndError() {
    try (GrpcTestServer server = GrpcTestServer.start()) {
      server.failCalls(n -> n % 4 == 0);
      GhzResult r =
          new GhzRunner().run(spec("--insecure -n 100 -c 5 " + server.address()), () -> false);
      assertThat(r.count()).isEqualTo(100);
      assertThat(r.codes()).isEqualTo(Map.of("OK", 75L, "Unavailable", 25L));
      assertThat(r.asLoadResult().failed()).isEqualTo(25);
      assertThat(r.asLoadResult().errorRatePercent()).isEqualTo(25.0);
      assertThat(GhzReport.format(r, null))
          .contains(
              "Status code distribution:\n"
                  + "  [OK]            75 responses   \n"
                  + "  [Unavailable]   25 responses   \n"
                  + "\nError distribution:\n"
                  + "  [25]   rpc error: code = Unavailable desc = flaky   \n");
    }
  }

  @Test
  void pacesCallsAtTheRateAndStillCountsExactly() {
    try (GrpcTestServer server = GrpcTestServer.start()) {
      GhzResult r =
          new GhzRunner()
              .run(spec("--insecure --rps 500 -n 25 -c 3 " + server.address()), () -> false);
      assertThat(r.count()).isEqualTo(25);
      assertThat(server.calls(CHECK)).isEqualTo(25);
    }
  }

  @Test
  void usesTheBuiltInHealthProtoWithoutReflection() {
    try (GrpcTestServer server = GrpcTestServer.withoutReflection()) {
      GhzResult r =
          new GhzRunner()
              .run(
                  spec(
                      "--insecure --proto=/tmp/ghz/health.proto"
                          + " --call=grpc.health.v1.Health/Check -n 10 -c 2 "
                          + server.address()),
                  () -> false);
      assertThat(r.codes()).isEqualTo(Map.of("OK", 10L));
      // Flagger's short example names no proto and no call: the health check, known built in
      GhzResult plain =
          new GhzRunner().run(spec("-n 4 -q 10 -c 2 --insecure " + server.address()), () -> false);
      assertThat(plain.codes()).isEqualTo(Map.of("OK", 4L));
    }
  }

  @Test
  void readsADescriptorSetFromTheAllowedFiles() {
    byte[] set =
        FileDescriptorSet.newBuilder()
            .addFile(HealthProto.getDescriptor().toProto())
            .build()
            .toByteArray();
    try (GrpcTestServer server = GrpcTestServer.withoutReflection()) {
      GhzResult r =
          new GhzRunner()
              .run(
                  spec(
                      "--insecure --protoset health.protoset -n 3 -c 1 " + server.address(),
                      f -> f.equals("health.protoset") ? set : null),
                  () -> false);
      assertThat(r.codes()).isEqualTo(Map.of("OK", 3L));
    }
  }

  @Test
  void failsBeforeTheRunWhenTheMethodIsUnknownOrTheServerUnreachable() {
    try (GrpcTestServer server = GrpcTestServer.start()) {
      assertThatThrownBy(
              () ->
                  new GhzRunner()
                      .run(
                          spec(
                              "--insecure --call grpc.health.v1.Health/Nope -n 1 -c 1 "
                                  + server.address()),
                          () -> false))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("ghz: service \"grpc.health.v1.Health\" has no method \"Nope\"");
      assertThatThrownBy(
              () ->
                  new GhzRunner()
                      .run(
                          spec("--insecure --call podinfo.Echo/Say -n 1 -c 1 " + server.address()),
                          () -> false))
          .hasMessageStartingWith(
              "ghz: the server's reflection does not know the service \"podinfo.Echo\"");
      assertThatThrownBy(
              () ->
                  new GhzRunner()
                      .run(
                          spec("--insecure -d '{\"nope\":1}' -n 1 -c 1 " + server.address()),
                          () -> false))
          .hasMessageStartingWith(
              "ghz: -d: the data does not fit grpc.health.v1.HealthCheckRequest");
      assertThat(server.calls(CHECK)).isZero();
    }
    assertThatThrownBy(
            () ->
                new GhzRunner()
                    .run(spec("--insecure --call x.Y/Z -n 1 -c 1 127.0.0.1:1"), () -> false))
        .hasMessageStartingWith("ghz: server reflection failed")
        .hasMessageContaining("code = Unavailable");
  }

  @Test
  void stopsWhenCancelled() {
    try (GrpcTestServer server = GrpcTestServer.start()) {
      server.holdAll();
      AtomicLong polls = new AtomicLong();
      GhzResult r =
          new GhzRunner()
              .run(
                  spec("--insecure -z 1h -c 3 " + server.address()),
                  () -> server.calls(CHECK) >= 3 && polls.incrementAndGet() > 1);
      assertThat(r.cancelled()).isTrue();
      assertThat(r.count()).isZero();
    }
  }
}
