package app.flagger.controller.tick;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.control.ControlAction;
import app.flagger.model.control.ControlCommand;
import app.flagger.model.control.ControlStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * "commands": the control command in the Canary's {@value ControlCommand#ANNOTATION} annotation is
 * handled once, the first tick that sees its id differ from {@code status.control.lastCommandId}:
 * accepted (the steering it asks for is set in the same status write as the acknowledgement, and a
 * Normal event says who asked), ignored in a phase where it makes no sense, or refused as invalid
 * (both with a Warning event). Then the steering in force during an analysis: a pending {@code
 * abort} rolls back now, a {@code pause} holds the release here (no traffic, checks or webhooks)
 * unless a promotion is pending. The other effects are carried out by the steps they concern.
 */
final class Commands implements Step {
  private static final Set<CanaryPhase> ANALYSING =
      EnumSet.of(CanaryPhase.WAITING, CanaryPhase.PROGRESSING, CanaryPhase.WAITING_PROMOTION);
  private static final String UNKNOWN_USER = "unknown user";

  /** How a command is handled: the ack's status change, its event and its kind of write. */
  record Acknowledgement(
      UnaryOperator<ControlStatus> change, boolean retry, boolean warning, String message) {}

  private final Transitions transitions;
  private final Clock clock;

  Commands(Transitions transitions, Clock clock) {
    this.transitions = transitions;
    this.clock = clock;
  }

  @Override
  public Decision run(Tick t) {
    String raw = annotation(t.canary());
    if (raw != null) {
      Acknowledgement ack = handle(t, raw);
      if (ack != null) {
        transitions.acknowledge(t, ack);
      }
    }
    if (!ANALYSING.contains(t.phase())) {
      return Decision.CONTINUE;
    }
    ControlStatus c = t.control();
    if (c.abortOrFalse()) {
      return new Decision.Rollback(Decision.Cause.ABORTED, abortedBy(t.canary()));
    }
    if (c.pausedOrFalse() && !c.promoteNextOrFalse() && !c.promoteFullOrFalse()) {
      return new Decision.Paused(c.pausedBy() == null ? UNKNOWN_USER : c.pausedBy());
    }
    return Decision.CONTINUE;
  }

  /** The acknowledgement of the command {@code raw}; null when it was handled before. */
  Acknowledgement handle(Tick t, String raw) {
    String handled = t.control().lastCommandId();
    ControlCommand cmd;
    try {
      cmd = ControlCommand.parse(raw);
    } catch (IllegalArgumentException e) {
      String id = invalidId(raw);
      if (id.equals(handled)) {
        return null;
      }
      String message = "Invalid control command for " + t.key() + ": " + e.getMessage();
      return new Acknowledgement(
          ack(id, null, ControlStatus.INVALID, message), false, true, message);
    }
    if (cmd.id().equals(handled)) {
      return null;
    }
    String action = cmd.action().value();
    if (!cmd.action().phases().contains(t.phase())) {
      String message = ignored(t, cmd);
      return new Acknowledgement(
          ack(cmd.id(), action, ControlStatus.IGNORED, message), false, true, message);
    }
    String message = accepted(cmd);
    UnaryOperator<ControlStatus> acked = ack(cmd.id(), action, ControlStatus.ACCEPTED, message);
    UnaryOperator<ControlStatus> steer = c -> steer(acked.apply(c), cmd);
    return new Acknowledgement(steer, cmd.action() == ControlAction.RETRY, false, message);
  }

  private UnaryOperator<ControlStatus> ack(
      String id, String action, String result, String message) {
    String time = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    return c -> {
      Steering s = new Steering(c);
      s.lastCommandId = id;
      s.lastCommandAction = action;
      s.lastCommandResult = result;
      s.lastCommandMessage = message;
      s.lastCommandTime = time;
      return s.build();
    };
  }

  /** The steering an accepted command sets. */
  private static ControlStatus steer(ControlStatus c, ControlCommand cmd) {
    Steering s = new Steering(c);
    switch (cmd.action()) {
      case PROMOTE -> s.promoteNext = true;
      case PROMOTE_FULL -> s.promoteFull = true;
      case ABORT -> s.abort = true;
      case RETRY -> {}
      case PAUSE -> {
        s.paused = true;
        s.pausedBy = cmd.requester();
      }
      case RESUME -> {
        s.paused = null;
        s.pausedBy = null;
      }
      case APPROVE -> {
        List<String> gates = new ArrayList<>(c.approvedGatesOrEmpty());
        if (!gates.contains(cmd.gate())) {
          gates.add(cmd.gate());
        }
        s.approvedGates = gates;
      }
    }
    return s.build();
  }

  /** {@code Ignoring promote requested by alice: podinfo.test is Succeeded, expected ...}. */
  private static String ignored(Tick t, ControlCommand cmd) {
    String phase = t.phase() == CanaryPhase.NONE ? "not initialized" : t.phase().value();
    return "Ignoring "
        + cmd.action().value()
        + " requested by "
        + cmd.requester()
        + ": "
        + t.key()
        + " is "
        + phase
        + ", expected "
        + phases(cmd.action().phases());
  }

  private static String accepted(ControlCommand cmd) {
    String by = " requested by " + cmd.requester();
    return switch (cmd.action()) {
      case PROMOTE -> "Promotion" + by;
      case PROMOTE_FULL -> "Full promotion" + by;
      case ABORT -> "Rollback" + by;
      case RETRY -> "Retry" + by;
      case PAUSE -> "Pause" + by;
      case RESUME -> "Resume" + by;
      case APPROVE -> "Gate " + cmd.gate() + " approved by " + cmd.requester();
    };
  }

  /** Who asked for the pending abort: the annotation's user while it still holds the abort. */
  private static String abortedBy(Canary canary) {
    String raw = annotation(canary);
    try {
      ControlCommand cmd = raw == null ? null : ControlCommand.parse(raw);
      return cmd != null && cmd.action() == ControlAction.ABORT ? cmd.requester() : UNKNOWN_USER;
    } catch (IllegalArgumentException e) {
      return UNKNOWN_USER;
    }
  }

  private static String annotation(Canary canary) {
    Map<String, String> annotations = canary.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(ControlCommand.ANNOTATION);
  }

  /**
   * An unparsable annotation has no id to trust: it is known by a digest of its text, so it is
   * reported once and any edit of it is a new command.
   */
  static String invalidId(String raw) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
      return "invalid-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code Waiting, Progressing or WaitingPromotion}. */
  private static String phases(Set<CanaryPhase> phases) {
    List<String> names = phases.stream().map(CanaryPhase::value).toList();
    if (names.size() == 1) {
      return names.get(0);
    }
    return String.join(", ", names.subList(0, names.size() - 1))
        + " or "
        + names.get(names.size() - 1);
  }
}
