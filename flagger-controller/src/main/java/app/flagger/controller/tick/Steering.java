package app.flagger.controller.tick;

import app.flagger.model.canary.WebhookType;
import app.flagger.model.control.ControlStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The changes of {@code status.control}: a command's acknowledgement and the steering it sets, the
 * steering a step spends, and the release's end clearing what is left. A mutable copy of a {@link
 * ControlStatus}; {@code queuedSince} is carried over untouched.
 */
final class Steering {
  String lastCommandId;
  String lastCommandAction;
  String lastCommandResult;
  String lastCommandMessage;
  String lastCommandTime;
  Boolean paused;
  String pausedBy;
  Boolean promoteNext;
  Boolean promoteFull;
  Boolean abort;
  List<String> approvedGates;
  private final String queuedSince;

  Steering(ControlStatus c) {
    lastCommandId = c.lastCommandId();
    lastCommandAction = c.lastCommandAction();
    lastCommandResult = c.lastCommandResult();
    lastCommandMessage = c.lastCommandMessage();
    lastCommandTime = c.lastCommandTime();
    paused = c.paused();
    pausedBy = c.pausedBy();
    promoteNext = c.promoteNext();
    promoteFull = c.promoteFull();
    abort = c.abort();
    approvedGates = c.approvedGates();
    queuedSince = c.queuedSince();
  }

  ControlStatus build() {
    return new ControlStatus(
        lastCommandId,
        lastCommandAction,
        lastCommandResult,
        lastCommandMessage,
        lastCommandTime,
        paused,
        pausedBy,
        promoteNext,
        promoteFull,
        abort,
        approvedGates == null || approvedGates.isEmpty() ? null : List.copyOf(approvedGates),
        queuedSince);
  }

  /** The steering of a release that ended (Succeeded or Failed) is cleared; the ack stays. */
  static ControlStatus released(ControlStatus c) {
    Steering s = new Steering(c);
    s.paused = null;
    s.pausedBy = null;
    s.promoteNext = null;
    s.promoteFull = null;
    s.abort = null;
    s.approvedGates = null;
    return s.build();
  }

  /**
   * A step was taken (started, advanced, iterated, promoted): a pending promote is spent, so are
   * the approvals that opened a gate this tick, and a full promotion once promoting. An approved
   * confirm-promotion lasts until the promotion starts: blue/green asks it twice, before routing
   * all traffic to the canary and before promoting.
   */
  static ControlStatus stepped(ControlStatus c, Set<Decision.Gate> used, boolean promoting) {
    Steering s = new Steering(c);
    s.promoteNext = null;
    if (promoting) {
      s.promoteFull = null;
    }
    if (s.approvedGates != null && !used.isEmpty()) {
      List<String> left = new ArrayList<>(s.approvedGates);
      used.stream()
          .filter(g -> promoting || g != Decision.Gate.PROMOTION)
          .forEach(g -> left.remove(gate(g).value()));
      s.approvedGates = left;
    }
    return s.build();
  }

  /** The webhook type of a gate, whose value names it in {@code approvedGates}. */
  static WebhookType gate(Decision.Gate g) {
    return switch (g) {
      case ROLLOUT -> WebhookType.CONFIRM_ROLLOUT;
      case TRAFFIC_INCREASE -> WebhookType.CONFIRM_TRAFFIC_INCREASE;
      case PROMOTION -> WebhookType.CONFIRM_PROMOTION;
    };
  }
}
