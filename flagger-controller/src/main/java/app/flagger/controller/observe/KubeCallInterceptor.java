package app.flagger.controller.observe;

import app.flagger.model.metrics.FlaggerMetrics.CallTarget;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Counts the controller's calls to the Kubernetes API by outcome. A 404 is an answer, not an error
 * (the controller asks whether objects exist); other 4xx, 5xx and connection failures are errors.
 */
public final class KubeCallInterceptor implements Interceptor {
  public static final String NAME = "flagger-call-metrics";

  private final ControllerMetrics metrics;

  public KubeCallInterceptor(ControllerMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void after(
      HttpRequest request,
      HttpResponse<?> response,
      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    int code = response.code();
    metrics.countCall(CallTarget.KUBERNETES, code < 400 || code == 404);
  }

  @Override
  public void afterConnectionFailure(HttpRequest request, Throwable failure) {
    metrics.countCall(CallTarget.KUBERNETES, false);
  }
}
