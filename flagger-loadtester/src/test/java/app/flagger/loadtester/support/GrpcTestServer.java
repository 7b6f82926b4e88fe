package app.flagger.loadtester.support;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

/**
 * A grpc-java server on a free loopback port with the standard health service (grpc-services'
 * {@link HealthStatusManager}) and, optionally, server reflection. An interceptor counts the calls
 * per method, the most calls in flight at once, can fail chosen health calls and can hold calls
 * until enough are in flight or until released.
 */
public final class GrpcTestServer implements AutoCloseable {
  public static final String CHECK = "grpc.health.v1.Health/Check";

  private final Server server;
  private final HealthStatusManager health = new HealthStatusManager();
  private final ConcurrentHashMap<String, AtomicLong> calls = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final List<Metadata> headers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile LongPredicate fail = n -> false;
  private volatile int holdFirst;
  private volatile CountDownLatch firstBatch = new CountDownLatch(0);
  private volatile CountDownLatch release = new CountDownLatch(0);

  private enum Reflection {
    NONE,
    V1,
    V1ALPHA
  }

  private GrpcTestServer(Reflection reflection, boolean healthService) {
    ServerBuilder<?> b = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create());
    if (healthService) {
      b.addService(ServerInterceptors.intercept(health.getHealthService(), new Counting()));
    }
    switch (reflection) {
      case V1 -> b.addService(ProtoReflectionServiceV1.newInstance());
      case V1ALPHA -> b.addService(v1alphaReflection());
      case NONE -> {}
    }
    try {
      server = b.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    health.setStatus("podinfo", ServingStatus.SERVING);
    health.setStatus("down", ServingStatus.NOT_SERVING);
  }

  /** Health and reflection. */
  public static GrpcTestServer start() {
    return new GrpcTestServer(Reflection.V1, true);
  }

  /** Health without reflection. */
  public static GrpcTestServer withoutReflection() {
    return new GrpcTestServer(Reflection.NONE, true);
  }

  /** Reflection only: no health service. */
  public static GrpcTestServer withoutHealth() {
    return new GrpcTestServer(Reflection.V1, false);
  }

  /** Health and only the older reflection service, grpc.reflection.v1alpha. */
  public static GrpcTestServer withV1alphaReflection() {
    return new GrpcTestServer(Reflection.V1ALPHA, true);
  }

  @SuppressWarnings("deprecation") // the v1alpha service is what older servers offer
  private static io.grpc.BindableService v1alphaReflection() {
    return io.grpc.protobuf.services.ProtoReflectionService.newInstance();
  }

  public String address() {
    return "127.0.0.1:" + server.getPort();
  }

  public HealthStatusManager health() {
    return health;
  }

  /** Calls of {@code method} ({@code package.Service/Method}) that reached the server. */
  public long calls(String method) {
    AtomicLong n = calls.get(method);
    return n == null ? 0 : n.get();
  }

  public int maxInFlight() {
    return maxInFlight.get();
  }

  public List<Metadata> headers() {
    return headers;
  }

  /** Fails the health calls whose number (from 1) matches, with UNAVAILABLE "flaky". */
  public void failCalls(LongPredicate which) {
    this.fail = which;
  }

  /** Holds each of the first {@code n} health calls until all {@code n} are in flight at once. */
  public void holdFirst(int n) {
    this.firstBatch = new CountDownLatch(n);
    this.holdFirst = n;
  }

  /** Holds every health call until {@link #releaseAll()}. */
  public void holdAll() {
    release = new CountDownLatch(1);
  }

  public void releaseAll() {
    release.countDown();
  }

  @Override
  public void close() {
    releaseAll();
    server.shutdownNow();
    try {
      server.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Counting implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, A> call, Metadata h, ServerCallHandler<Q, A> next) {
      long n =
          calls
              .computeIfAbsent(
                  call.getMethodDescriptor().getFullMethodName(), k -> new AtomicLong())
              .incrementAndGet();
      headers.add(h);
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      hold(n);
      ServerCall<Q, A> counted =
          new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
              inFlight.decrementAndGet();
              super.close(status, trailers);
            }
          };
      if (fail.test(n)) {
        counted.close(Status.UNAVAILABLE.withDescription("flaky"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(counted, h);
    }

    private void hold(long n) {
      // holds the transport's executor thread: grpc-java's default executor has enough of them
      try {
        if (n <= holdFirst) {
          firstBatch.countDown();
          firstBatch.await(30, TimeUnit.SECONDS);
        }
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
