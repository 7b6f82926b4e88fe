package app.flagger.controller.webhook;

import java.time.Duration;
import java.util.Optional;

/** Posts a webhook payload (Flagger's {@code CallWebhook}). */
public interface WebhookClient {
  /**
   * Posts {@code json} to {@code url}: {@code retries + 1} attempts at most, each with one deadline
   * of {@code timeout} for connecting, sending and reading. Empty when the final status is 202 or
   * below; otherwise the error text.
   */
  Optional<String> post(String url, String json, Duration timeout, int retries, boolean insecure);
}
