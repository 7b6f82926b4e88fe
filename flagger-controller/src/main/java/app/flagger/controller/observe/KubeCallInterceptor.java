package app.flagger.controller.observe;

import app.flagger.model.metrics.FlaggerMetrics.CallTarget;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Records the controller's calls to the Kubernetes API: a counter by outcome and the time from
 * sending a request to its response headers (for a watch, the time until the stream opened). A 404
 * is an answer, not an error (the controller asks whether objects exist); other 4xx, 5xx and
 * connection failures are errors. Every attempt of a retried request counts once.
 *
 * <p>fabric8 hands {@link #consumer} the request as it is sent and {@link #after} the same object,
 * so the start time is kept against it in a weak map: a request that never completes leaves nothing
 * behind. WebSocket upgrades skip {@link #consumer} and are counted without a duration.
 */
public final class KubeCallInterceptor implements Interceptor {
  public static final String NAME = "flagger-call-metrics";

  private final ControllerMetrics metrics;
  private final Map<HttpRequest, Long> started = Collections.synchronizedMap(new WeakHashMap<>());

  public KubeCallInterceptor(ControllerMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public AsyncBody.Consumer<List<ByteBuffer>> consumer(
      AsyncBody.Consumer<List<ByteBuffer>> consumer, HttpRequest request) {
    started.put(request, System.nanoTime());
    return consumer;
  }

  @Override
  public void after(
      HttpRequest request,
      HttpResponse<?> response,
      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    int code = response.code();
    record(request, code < 400 || code == 404);
  }

  @Override
  public void afterConnectionFailure(HttpRequest request, Throwable failure) {
    record(request, false);
  }

  private void record(HttpRequest request, boolean ok) {
    Long start = started.remove(request);
    if (start == null) {
      metrics.countCall(CallTarget.KUBERNETES, ok);
    } else {
      metrics.recordCall(CallTarget.KUBERNETES, Duration.ofNanos(System.nanoTime() - start), ok);
    }
  }
}
