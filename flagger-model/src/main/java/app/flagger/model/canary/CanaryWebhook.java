package app.flagger.model.canary;

import app.flagger.model.common.GoDuration;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** A webhook the controller calls at one point of the analysis. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanaryWebhook(
    String name,
    String type,
    String url,
    Boolean muteAlert,
    String timeout,
    Integer retries,
    Boolean disableTLS,
    Map<String, String> metadata) {

  /** Default webhook timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** The parsed type; empty means rollout, an unknown string is empty. */
  public Optional<WebhookType> webhookType() {
    return WebhookType.parse(type);
  }

  /** The timeout, or 10 seconds when missing or unparsable. */
  public Duration timeoutOrDefault() {
    return GoDuration.parse(timeout).filter(d -> !d.isZero()).orElse(DEFAULT_TIMEOUT);
  }

  /** Extra attempts after the first; never negative. */
  public int retriesOrDefault() {
    return retries == null ? 0 : Math.max(0, retries);
  }

  /** Whether failures of this hook stay out of alerts. */
  public boolean muted() {
    return Boolean.TRUE.equals(muteAlert);
  }

  /** The metadata, never null. */
  public Map<String, String> metadataOrEmpty() {
    return metadata == null ? Map.of() : metadata;
  }
}
