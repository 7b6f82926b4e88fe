package app.flagger.controller.tick;

import app.flagger.controller.events.CanaryEvents;
import app.flagger.controller.webhook.HookRunner;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanaryWebhook;
import app.flagger.model.canary.WebhookType;
import app.flagger.model.control.ControlStatus;
import java.util.List;
import java.util.Optional;

/**
 * The webhooks of a run with the events Flagger records for each call ({@code scheduler_hooks.go}):
 * approval gates, hooks whose failure is a failed check, rollback and post-rollout hooks. Status
 * changes are left to the decisions these return.
 */
public final class Gates {
  private final HookRunner hooks;
  private final CanaryEvents events;

  public Gates(HookRunner hooks, CanaryEvents events) {
    this.hooks = hooks;
    this.events = events;
  }

  /**
   * Runs the hooks of an approval gate; the first that refuses gives {@link
   * Decision.AwaitApproval}. The payload carries the Canary's phase for confirm-rollout,
   * Progressing for the others. A gate with webhooks opens without calling them while a {@code
   * promote} or {@code promote-full} command is pending, or once when an {@code approve} command
   * approved it (the approval is spent when the tick takes its step); a gate without webhooks is
   * open anyway.
   */
  public Decision approval(Tick t, Decision.Gate gate) {
    WebhookType type = Steering.gate(gate);
    CanaryPhase phase = gate == Decision.Gate.ROLLOUT ? t.phase() : CanaryPhase.PROGRESSING;
    String passed =
        switch (gate) {
          case ROLLOUT -> "Confirm-rollout check ";
          case TRAFFIC_INCREASE -> "Confirm-traffic-increase check ";
          case PROMOTION -> "Confirm-promotion check ";
        };
    List<CanaryWebhook> declared = HookRunner.hooks(t.canary(), type);
    if (declared.isEmpty()) {
      return Decision.CONTINUE;
    }
    ControlStatus control = t.control();
    if (control.promoteNextOrFalse() || control.promoteFullOrFalse()) {
      events.info(t.canary(), passed + "skipped: promotion requested");
      return Decision.CONTINUE;
    }
    if (control.approvedGatesOrEmpty().contains(type.value())) {
      t.approvalsUsed().add(gate);
      events.info(t.canary(), passed + "skipped: " + type.value() + " approved");
      return Decision.CONTINUE;
    }
    for (CanaryWebhook hook : declared) {
      if (hooks.call(t.canary(), hook, phase).isPresent()) {
        return new Decision.AwaitApproval(gate, hook.name(), hook.muted());
      }
      events.info(t.canary(), passed + hook.name() + " passed");
    }
    return Decision.CONTINUE;
  }

  /** Pre-rollout hooks on the first analysis tick; a failure is a failed check. */
  public Decision preRollout(Tick t) {
    return checks(t, WebhookType.PRE_ROLLOUT, "pre-rollout check", "Pre-rollout check ");
  }

  /** Rollout hooks before the metric checks; a failure is a failed check. */
  public Decision rollout(Tick t) {
    return checks(t, WebhookType.ROLLOUT, "external check", null);
  }

  /**
   * Hooks whose failure is {@link Decision.Halt}: {@code Halt <key> advancement <what> <hook>
   * failed <error>}; a pass is reported with {@code passedPrefix} when it is not null.
   */
  private Decision checks(Tick t, WebhookType type, String what, String passedPrefix) {
    for (CanaryWebhook hook : HookRunner.hooks(t.canary(), type)) {
      Optional<String> err = hooks.call(t.canary(), hook, CanaryPhase.PROGRESSING);
      if (err.isPresent()) {
        return new Decision.Halt(
            "Halt "
                + t.key()
                + " advancement "
                + what
                + " "
                + hook.name()
                + " failed "
                + err.get());
      }
      if (passedPrefix != null) {
        events.info(t.canary(), passedPrefix + hook.name() + " passed");
      }
    }
    return Decision.CONTINUE;
  }

  /** Whether a rollback hook answers 2xx, asking for a manual rollback. */
  public boolean rollbackRequested(Tick t) {
    for (CanaryWebhook hook : HookRunner.hooks(t.canary(), WebhookType.ROLLBACK)) {
      if (hooks.call(t.canary(), hook, t.phase()).isEmpty()) {
        events.warn(t.canary(), "Rollback check " + hook.name() + " passed");
        return true;
      }
      events.info(t.canary(), "Rollback hook " + hook.name() + " not signaling a rollback");
    }
    return false;
  }

  /** Post-rollout hooks once a run ended in {@code phase}; failures only produce events. */
  public void postRollout(Canary canary, CanaryPhase phase) {
    for (CanaryWebhook hook : HookRunner.hooks(canary, WebhookType.POST_ROLLOUT)) {
      Optional<String> err = hooks.call(canary, hook, phase);
      if (err.isPresent()) {
        events.warn(canary, phase, "Post-rollout hook " + hook.name() + " failed " + err.get());
      } else {
        events.info(canary, phase, "Post-rollout check " + hook.name() + " passed");
      }
    }
  }
}
