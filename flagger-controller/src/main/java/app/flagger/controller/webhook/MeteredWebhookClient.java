package app.flagger.controller.webhook;

import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.model.metrics.FlaggerMetrics.CallTarget;
import java.time.Duration;
import java.util.Optional;

/**
 * Records every post of a {@link WebhookClient} as a {@code webhook} call (one per post, with its
 * retries). For the event webhook's sender; {@code HookRunner} records the Canary's own hooks
 * itself, so its client must not be wrapped too.
 */
public final class MeteredWebhookClient implements WebhookClient {
  private final WebhookClient delegate;
  private final ControllerMetrics metrics;

  public MeteredWebhookClient(WebhookClient delegate, ControllerMetrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
  }

  @Override
  public Optional<String> post(
      String url, String json, Duration timeout, int retries, boolean insecure) {
    long start = System.nanoTime();
    Optional<String> error = Optional.of("no answer");
    try {
      error = delegate.post(url, json, timeout, retries, insecure);
      return error;
    } finally {
      metrics.recordCall(
          CallTarget.WEBHOOK, Duration.ofNanos(System.nanoTime() - start), error.isEmpty());
    }
  }
}
