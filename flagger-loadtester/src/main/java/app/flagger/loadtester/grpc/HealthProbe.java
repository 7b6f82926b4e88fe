package app.flagger.loadtester.grpc;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code grpc_health_probe} on grpc-java: connects (waiting up to {@code -connect-timeout} for the
 * connection, as the tool's blocking dial does), calls {@code grpc.health.v1.Health/Check} and ends
 * with the tool's messages and exit statuses: 0 {@code status: SERVING}, 1 bad arguments, 2 no
 * connection, 3 the call failed, 4 the service is not serving.
 */
public final class HealthProbe {
  public static final int OK = 0;
  public static final int CONNECTION_FAILURE = 2;
  public static final int RPC_FAILURE = 3;
  public static final int UNHEALTHY = 4;

  /** What the probe printed (its log lines) and its exit status. */
  public record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == OK;
    }
  }

  private HealthProbe() {}

  public static Result run(HealthProbeSpec spec) {
    List<String> log = new ArrayList<>();
    if (spec.version()) {
      log.add("v0.4.35 (built into flagger-loadtester on grpc-java)");
      return new Result(OK, String.join("\n", log));
    }
    if (spec.verbose()) {
      verboseOptions(spec, log);
    }
    GrpcTarget target;
    try {
      target = GrpcTarget.parse(spec.addr());
    } catch (IllegalArgumentException e) {
      log.add("error: failed to connect service at \"" + spec.addr() + "\": " + e.getMessage());
      return new Result(CONNECTION_FAILURE, String.join("\n", log));
    }
    ManagedChannel channel = Channels.open(target, spec.tls(), null, spec.userAgent());
    try {
      if (spec.verbose()) {
        log.add("establishing connection");
      }
      long connStart = System.nanoTime();
      if (!awaitReady(channel, spec.connectTimeout())) {
        log.add(
            "timeout: failed to connect service \""
                + spec.addr()
                + "\" within "
                + GoDurations.format(spec.connectTimeout()));
        return new Result(CONNECTION_FAILURE, String.join("\n", log));
      }
      Duration connDuration = Duration.ofNanos(System.nanoTime() - connStart);
      if (spec.verbose()) {
        log.add("connection established (took " + GoDurations.format(connDuration) + ")");
      }
      long rpcStart = System.nanoTime();
      HealthCheckResponse resp;
      try {
        resp =
            stub(channel, spec)
                .check(HealthCheckRequest.newBuilder().setService(spec.service()).build());
      } catch (StatusRuntimeException e) {
        log.add(rpcError(e.getStatus(), spec.rpcTimeout()));
        return new Result(RPC_FAILURE, String.join("\n", log));
      }
      Duration rpcDuration = Duration.ofNanos(System.nanoTime() - rpcStart);
      String status = resp.getStatus().name();
      if (resp.getStatus() != HealthCheckResponse.ServingStatus.SERVING) {
        log.add("service unhealthy (responded with \"" + status + "\")");
        return new Result(UNHEALTHY, String.join("\n", log));
      }
      if (spec.verbose()) {
        log.add(
            "time elapsed: connect="
                + GoDurations.format(connDuration)
                + " rpc="
                + GoDurations.format(rpcDuration));
      }
      log.add("status: " + status);
      return new Result(OK, String.join("\n", log));
    } finally {
      Channels.close(channel);
    }
  }

  private static HealthGrpc.HealthBlockingStub stub(ManagedChannel channel, HealthProbeSpec spec) {
    Metadata headers = new Metadata();
    spec.headers()
        .forEach(
            h ->
                headers.put(
                    Metadata.Key.of(h.getKey(), Metadata.ASCII_STRING_MARSHALLER), h.getValue()));
    HealthGrpc.HealthBlockingStub stub =
        HealthGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
            .withDeadlineAfter(spec.rpcTimeout().toNanos(), TimeUnit.NANOSECONDS);
    return spec.gzip() ? stub.withCompression("gzip") : stub;
  }

  private static String rpcError(Status status, Duration rpcTimeout) {
    return switch (status.getCode()) {
      case UNIMPLEMENTED ->
          "error: this server does not implement the grpc health protocol"
              + " (grpc.health.v1.Health): "
              + (status.getDescription() == null ? "" : status.getDescription());
      case DEADLINE_EXCEEDED ->
          "timeout: health rpc did not complete within " + GoDurations.format(rpcTimeout);
      default -> "error: health rpc failed: " + GrpcCodes.error(status);
    };
  }

  /** Waits for the channel to be connected, asking it to reconnect after each failure. */
  private static boolean awaitReady(ManagedChannel channel, Duration timeout) {
    CountDownLatch ready = new CountDownLatch(1);
    watch(channel, ready);
    try {
      return ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void watch(ManagedChannel channel, CountDownLatch ready) {
    ConnectivityState state = channel.getState(true);
    if (state == ConnectivityState.READY) {
      ready.countDown();
    } else if (state != ConnectivityState.SHUTDOWN) {
      channel.notifyWhenStateChanged(state, () -> watch(channel, ready));
    }
  }

  private static void verboseOptions(HealthProbeSpec spec, List<String> log) {
    log.add("parsed options:");
    log.add(
        "> addr="
            + spec.addr()
            + " conn_timeout="
            + GoDurations.format(spec.connectTimeout())
            + " rpc_timeout="
            + GoDurations.format(spec.rpcTimeout()));
    if (!spec.headers().isEmpty()) {
      log.add("> headers: " + spec.headers().size() + " set");
    }
    log.add("> tls=" + spec.tls().enabled());
    if (spec.tls().enabled()) {
      log.add("  > no-verify=" + spec.tls().skipVerify() + " ");
      log.add(
          "  > server-name=" + (spec.tls().serverName() == null ? "" : spec.tls().serverName()));
    }
    log.add("> alts=false");
    log.add("> spiffe=false");
  }
}
