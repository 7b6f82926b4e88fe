package app.flagger.controller.client;

import app.flagger.controller.observe.ControllerMetrics;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces {@code kubeconfig-qps} and {@code kubeconfig-burst} on every request of the fabric8
 * client, as client-go's rate limiter does for Flagger: before a request (and each retry) is sent
 * it takes a permit from a {@link TokenBucket} and waits as long as the bucket says. The wait
 * happens on the calling thread (a canary tick or an informer's thread) and is recorded as {@code
 * flagger_controller_kube_client_throttle_seconds}.
 */
public final class RateLimitInterceptor implements Interceptor {
  public static final String NAME = "flagger-rate-limit";

  private final TokenBucket bucket;
  private final Waiter waiter;
  private final ControllerMetrics metrics;

  public RateLimitInterceptor(TokenBucket bucket, Waiter waiter, ControllerMetrics metrics) {
    this.bucket = bucket;
    this.waiter = waiter;
    this.metrics = metrics;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    long wait = bucket.reserve();
    if (wait > 0) {
      waiter.await(wait);
    }
    metrics.recordThrottle(Duration.ofNanos(wait));
  }

  /** Blocks the caller for a while; tests substitute one that advances a manual clock. */
  @FunctionalInterface
  public interface Waiter {
    /** Parks the calling thread for {@code nanos} (the process clock, not the wall clock). */
    Waiter PARK = RateLimitInterceptor::park;

    void await(long nanos);
  }

  private static void park(long nanos) {
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }
}
