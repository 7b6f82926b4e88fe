package app.flagger.loadtester.bench;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gRPC target of {@code hack/bench-loadtester.sh}: grpc-java's standard health service
 * (SERVING) and server reflection on a loopback port. Prints {@code LISTENING port=N} when ready
 * and, when stopped (SIGTERM), {@code SERVED calls=N}: the health calls it received, to check the
 * client's count against.
 */
public final class GrpcHealthServer {
  private GrpcHealthServer() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    LongAdder calls = new LongAdder();
    ServerInterceptor counting =
        new ServerInterceptor() {
          @Override
          public <Q, A> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
            calls.increment();
            return next.startCall(call, headers);
          }
        };
    HealthStatusManager health = new HealthStatusManager();
    Server server =
        Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
            .addService(ServerInterceptors.intercept(health.getHealthService(), counting))
            .addService(ProtoReflectionServiceV1.newInstance())
            .build()
            .start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.shutdownNow();
                  try {
                    server.awaitTermination(5, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  System.out.println("SERVED calls=" + calls.sum());
                  System.out.flush();
                }));
    System.out.println("LISTENING port=" + server.getPort());
    System.out.flush();
    server.awaitTermination();
  }
}
