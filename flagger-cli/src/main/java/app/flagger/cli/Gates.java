package app.flagger.cli;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanaryWebhook;
import app.flagger.model.canary.WebhookType;
import app.flagger.model.control.ControlCommand;
import java.util.List;
import java.util.Optional;

/** The manual gates of a Canary: its webhooks of a confirm-* type. */
final class Gates {
  private Gates() {}

  /** The Canary's gate webhooks, in spec order. */
  static List<CanaryWebhook> webhooks(Canary c) {
    return Progress.analysis(c).webhooksOrEmpty().stream()
        .filter(w -> ControlCommand.GATES.contains(type(w)))
        .toList();
  }

  /** The webhook's type, {@code rollout} when blank. */
  static String type(CanaryWebhook w) {
    return WebhookType.parse(w.type()).map(WebhookType::value).orElse(w.type());
  }

  /**
   * The gate the release is held at, when its phase tells: Waiting is a closed confirm-rollout,
   * WaitingPromotion a closed confirm-promotion, Progressing with a confirm-traffic-increase
   * webhook that gate. Empty when it cannot tell.
   */
  static Optional<String> waitingAt(Canary c) {
    CanaryPhase phase = Progress.status(c).phaseOrNone();
    return switch (phase) {
      case WAITING -> Optional.of(WebhookType.CONFIRM_ROLLOUT.value());
      case WAITING_PROMOTION -> Optional.of(WebhookType.CONFIRM_PROMOTION.value());
      case PROGRESSING ->
          webhooks(c).stream()
              .map(Gates::type)
              .filter(WebhookType.CONFIRM_TRAFFIC_INCREASE.value()::equals)
              .findFirst();
      default -> Optional.empty();
    };
  }
}
