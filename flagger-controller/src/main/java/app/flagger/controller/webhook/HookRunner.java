package app.flagger.controller.webhook;

import app.flagger.controller.canary.SpecHash;
import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanaryStatus;
import app.flagger.model.canary.CanaryWebhook;
import app.flagger.model.canary.WebhookType;
import app.flagger.model.metrics.FlaggerMetrics.CallTarget;
import app.flagger.model.webhook.CanaryWebhookPayload;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Calls a Canary's webhooks with the payload of Flagger's {@code CanaryWebhookPayload}: name,
 * namespace, phase, checksum of tracked configs and last applied spec, and the hook's metadata.
 */
public final class HookRunner {
  private final WebhookClient client;
  private final ControllerMetrics metrics;

  public HookRunner(WebhookClient client, ControllerMetrics metrics) {
    this.client = client;
    this.metrics = metrics;
  }

  /** The Canary's hooks of {@code type}, in spec order. */
  public static List<CanaryWebhook> hooks(Canary canary, WebhookType type) {
    CanaryAnalysis a = canary.getSpec().analysisOrLegacy();
    if (a == null) {
      return List.of();
    }
    return a.webhooksOrEmpty().stream()
        .filter(h -> h.webhookType().map(t -> t == type).orElse(false))
        .toList();
  }

  /** Calls one hook; empty on success, else the error text. */
  public Optional<String> call(Canary canary, CanaryWebhook hook, CanaryPhase phase) {
    return call(canary, hook, phase, hook.metadataOrEmpty());
  }

  /** Calls one hook with explicit metadata (event hooks). */
  public Optional<String> call(
      Canary canary, CanaryWebhook hook, CanaryPhase phase, Map<String, String> metadata) {
    String json = payload(canary, phase, metadata).toJson();
    long start = System.nanoTime();
    Optional<String> result =
        client.post(
            hook.url(),
            json,
            hook.timeoutOrDefault(),
            hook.retriesOrDefault(),
            Boolean.TRUE.equals(hook.disableTLS()));
    metrics.recordCall(
        CallTarget.WEBHOOK, Duration.ofNanos(System.nanoTime() - start), result.isEmpty());
    return result;
  }

  /** The payload of a hook call. */
  public static CanaryWebhookPayload payload(
      Canary canary, CanaryPhase phase, Map<String, String> metadata) {
    CanaryStatus s = canary.getStatus();
    String checksum =
        s == null
            ? SpecHash.checksum(Map.of(), "")
            : SpecHash.checksum(s.trackedConfigsOrEmpty(), s.lastAppliedSpec());
    return new CanaryWebhookPayload(
        canary.getMetadata().getName(),
        canary.getMetadata().getNamespace(),
        phase.value(),
        checksum,
        metadata);
  }
}
