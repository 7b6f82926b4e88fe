package app.flagger.controller.scheduler;

import app.flagger.controller.webhook.HookRunner;
import app.flagger.model.alert.AlertSeverity;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanaryWebhook;
import app.flagger.model.canary.WebhookType;
import java.util.Optional;

/**
 * The webhook gates of a tick with Flagger's events and alerts (Flagger's {@code
 * scheduler_hooks.go}): confirm-rollout, pre-rollout, rollout, confirm-traffic-increase,
 * confirm-promotion, post-rollout and rollback.
 */
final class Hooks {
  private final AdvancerDeps deps;

  Hooks(AdvancerDeps deps) {
    this.deps = deps;
  }

  /** Confirm-rollout gate; on failure the Canary waits (phase Waiting). */
  boolean confirmRollout(Tick t) {
    for (CanaryWebhook hook : HookRunner.hooks(t.canary, WebhookType.CONFIRM_ROLLOUT)) {
      Optional<String> err = deps.hookRunner().call(t.canary, hook, t.phase());
      if (err.isPresent()) {
        if (t.phase() != CanaryPhase.WAITING) {
          t.canary = deps.status().setPhase(t.canary, CanaryPhase.WAITING);
          deps.events()
              .warn(
                  t.canary, "Halt " + t.key() + " advancement waiting for approval " + hook.name());
          if (!hook.muted()) {
            deps.alerter()
                .alert(t.canary, "Canary is waiting for approval.", false, AlertSeverity.WARN);
          }
        }
        return false;
      }
      deps.events().info(t.canary, "Confirm-rollout check " + hook.name() + " passed");
    }
    return true;
  }

  /** Pre-rollout hooks on the first analysis tick; a failure counts as a failed check. */
  boolean preRollout(Tick t) {
    return checkHooks(t, WebhookType.PRE_ROLLOUT, "pre-rollout check", "Pre-rollout check ");
  }

  /** Rollout hooks before the metric checks; a failure counts as a failed check. */
  boolean rollout(Tick t) {
    return checkHooks(t, WebhookType.ROLLOUT, "external check", null);
  }

  /**
   * Runs hooks whose failure is a failed check: {@code Halt <key> advancement <what> <hook> failed
   * <error>}; each pass is reported with {@code passedPrefix} when it is not null.
   */
  private boolean checkHooks(Tick t, WebhookType type, String what, String passedPrefix) {
    for (CanaryWebhook hook : HookRunner.hooks(t.canary, type)) {
      Optional<String> err = deps.hookRunner().call(t.canary, hook, CanaryPhase.PROGRESSING);
      if (err.isPresent()) {
        t.canary = deps.status().setFailedChecks(t.canary, t.failedChecks() + 1);
        deps.events()
            .warn(
                t.canary,
                "Halt "
                    + t.key()
                    + " advancement "
                    + what
                    + " "
                    + hook.name()
                    + " failed "
                    + err.get());
        return false;
      }
      if (passedPrefix != null) {
        deps.events().info(t.canary, passedPrefix + hook.name() + " passed");
      }
    }
    return true;
  }

  boolean confirmTrafficIncrease(Tick t) {
    for (CanaryWebhook hook : HookRunner.hooks(t.canary, WebhookType.CONFIRM_TRAFFIC_INCREASE)) {
      Optional<String> err = deps.hookRunner().call(t.canary, hook, CanaryPhase.PROGRESSING);
      if (err.isPresent()) {
        deps.events()
            .warn(
                t.canary,
                "Halt "
                    + t.key()
                    + " advancement waiting for traffic increase approval "
                    + hook.name());
        if (!hook.muted()) {
          deps.alerter()
              .alert(
                  t.canary,
                  "Canary traffic increase is waiting for approval.",
                  false,
                  AlertSeverity.WARN);
        }
        return false;
      }
      deps.events().info(t.canary, "Confirm-traffic-increase check " + hook.name() + " passed");
    }
    return true;
  }

  /** Confirm-promotion gate; on failure the Canary shows WaitingPromotion. */
  boolean confirmPromotion(Tick t) {
    for (CanaryWebhook hook : HookRunner.hooks(t.canary, WebhookType.CONFIRM_PROMOTION)) {
      Optional<String> err = deps.hookRunner().call(t.canary, hook, CanaryPhase.PROGRESSING);
      if (err.isPresent()) {
        if (t.phase() != CanaryPhase.WAITING_PROMOTION) {
          t.canary = deps.status().setPhase(t.canary, CanaryPhase.WAITING_PROMOTION);
          deps.events()
              .warn(
                  t.canary,
                  "Halt " + t.key() + " advancement waiting for promotion approval " + hook.name());
          if (!hook.muted()) {
            deps.alerter()
                .alert(
                    t.canary,
                    "Canary promotion is waiting for approval.",
                    false,
                    AlertSeverity.WARN);
          }
        } else {
          t.canary = deps.status().setIterations(t.canary, t.analysis().iterationsOrZero() - 1);
        }
        return false;
      }
      deps.events().info(t.canary, "Confirm-promotion check " + hook.name() + " passed");
    }
    return true;
  }

  /** Post-rollout hooks after Succeeded or Failed; failures only produce events. */
  void postRollout(Tick t, CanaryPhase phase) {
    for (CanaryWebhook hook : HookRunner.hooks(t.canary, WebhookType.POST_ROLLOUT)) {
      Optional<String> err = deps.hookRunner().call(t.canary, hook, phase);
      if (err.isPresent()) {
        deps.events()
            .warn(t.canary, phase, "Post-rollout hook " + hook.name() + " failed " + err.get());
      } else {
        deps.events().info(t.canary, phase, "Post-rollout check " + hook.name() + " passed");
      }
    }
  }

  /** Whether a rollback hook asks for a manual rollback. */
  boolean manualRollback(Tick t) {
    for (CanaryWebhook hook : HookRunner.hooks(t.canary, WebhookType.ROLLBACK)) {
      Optional<String> err = deps.hookRunner().call(t.canary, hook, t.phase());
      if (err.isEmpty()) {
        deps.events().warn(t.canary, "Rollback check " + hook.name() + " passed");
        return true;
      }
      deps.events().info(t.canary, "Rollback hook " + hook.name() + " not signaling a rollback");
    }
    return false;
  }
}
