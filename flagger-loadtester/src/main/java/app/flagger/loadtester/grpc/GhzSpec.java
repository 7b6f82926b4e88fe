package app.flagger.loadtester.grpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One {@code ghz} run: a unary method called with JSON data, for a number of requests or a
 * duration, by {@code concurrency} workers (closed model) or at {@code rate} requests per second in
 * total with at most {@code concurrency} in flight (open model).
 *
 * @param service fully-qualified service name ({@code grpc.health.v1.Health})
 * @param method method name ({@code Check})
 * @param data JSON objects sent in turn, one per call
 * @param metadata request headers of every call
 * @param reflectMetadata request headers of the reflection calls
 * @param protoset a serialized {@code FileDescriptorSet} describing the method, or {@code null} to
 *     ask the server through reflection
 * @param requests calls to make; 0 when the run is bounded by {@code duration}
 * @param duration how long to run ({@code -z}); {@link Duration#ZERO} for {@code requests}
 * @param maxDuration stop after this long even when {@code requests} are not done ({@code -x})
 * @param waitAtEnd at the end of {@code duration}, let calls in flight finish and count them
 * @param timeout per-call deadline, {@link Duration#ZERO} for none
 * @param connections channels (connections) the workers share
 * @param authority {@code :authority} to send, or {@code null} for the target
 * @param name run name shown in the report, or {@code null}
 * @param countErrors include failed calls in the latency figures
 * @param skipFirst calls left out of the tally at the start
 * @param gzip compress requests
 */
public record GhzSpec(
    GrpcTarget target,
    String service,
    String method,
    List<String> data,
    Map<String, String> metadata,
    Map<String, String> reflectMetadata,
    byte[] protoset,
    long requests,
    int concurrency,
    double rate,
    Duration duration,
    Duration maxDuration,
    boolean waitAtEnd,
    Duration timeout,
    Duration connectTimeout,
    int connections,
    TlsOptions tls,
    String authority,
    String name,
    boolean countErrors,
    long skipFirst,
    boolean gzip) {

  public GhzSpec {
    data = List.copyOf(data);
    metadata = Map.copyOf(metadata);
    reflectMetadata = Map.copyOf(reflectMetadata);
    if (data.isEmpty()) {
      throw new IllegalArgumentException("data: at least one message is required");
    }
    if (concurrency < 1 || connections < 1) {
      throw new IllegalArgumentException("concurrency and connections must be at least 1");
    }
    if (duration.isZero() && requests < 1) {
      throw new IllegalArgumentException("either a duration or a number of requests is required");
    }
  }

  /** {@code package.Service/Method}. */
  public String call() {
    return service + "/" + method;
  }

  /** True when calls are paced at {@link #rate()} (open model). */
  public boolean openModel() {
    return rate > 0;
  }
}
