package app.flagger.cli;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryStatus;
import app.flagger.model.canary.CanaryWebhook;
import app.flagger.model.control.AnalysisDecision;
import app.flagger.model.control.AnalysisDecision.CheckResult;
import app.flagger.model.control.ControlCommand;
import app.flagger.model.control.ControlStatus;
import io.fabric8.kubernetes.api.model.Event;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code kubectl flagger status} prints: a pure function of the Canary, its events and the
 * time, so {@code --watch} frames can be rendered from recorded states.
 */
final class StatusView {
  /** Events shown, newest last. */
  static final int EVENTS = 5;

  /** Decisions shown, newest last. */
  static final int DECISIONS = 5;

  private StatusView() {}

  /** The status page of {@code canary}; {@code events} in any order, filtered by the caller. */
  static String render(Canary canary, List<Event> events, Instant now) {
    CanaryStatus s = Progress.status(canary);
    ControlStatus control = s.controlOrEmpty();
    StringBuilder out = new StringBuilder();
    field(out, "Name", canary.getMetadata().getName());
    field(out, "Namespace", canary.getMetadata().getNamespace());
    field(out, "Phase", CanaryTable.phase(canary));
    field(out, "Strategy", canary.getSpec() == null ? "" : canary.getSpec().strategy().value());
    int weight = s.canaryWeightOrZero();
    field(out, "Weights", "primary " + (100 - weight) + "%, canary " + weight + "%");
    field(out, "Progress", Progress.longStep(canary));
    field(out, "Failed checks", Progress.failed(canary));
    String transition = s.lastTransitionTime();
    field(
        out,
        "Last transition",
        transition == null
            ? "<unknown>"
            : Ages.since(transition, now) + " ago (" + transition + ")");
    List<String> steering = steering(control, now);
    if (!steering.isEmpty()) {
      field(out, "Control", String.join(", ", steering));
    }
    pendingCommand(canary, control).ifPresent(p -> field(out, "Pending command", p));
    if (control.lastCommandId() != null) {
      field(out, "Last command", lastCommand(control, now));
    }

    List<AnalysisDecision> decisions = s.decisionsOrEmpty();
    out.append('\n');
    checks(out, decisions.isEmpty() ? null : decisions.get(decisions.size() - 1), now);
    out.append('\n');
    gates(out, canary, control);
    out.append('\n');
    events(out, events, now);
    out.append('\n');
    decisions(out, canary, decisions, now);
    return out.toString();
  }

  private static void field(StringBuilder out, String name, String value) {
    out.append(String.format("%-17s %s", name + ":", value).stripTrailing()).append('\n');
  }

  private static List<String> steering(ControlStatus c, Instant now) {
    List<String> parts = new ArrayList<>();
    if (c.pausedOrFalse()) {
      parts.add(c.pausedBy() == null ? "paused" : "paused by " + c.pausedBy());
    }
    if (c.promoteFullOrFalse()) {
      parts.add("full promotion pending");
    } else if (c.promoteNextOrFalse()) {
      parts.add("promotion of the next step pending");
    }
    if (c.abortOrFalse()) {
      parts.add("abort pending");
    }
    if (c.queuedSince() != null) {
      parts.add("waiting for a rollout slot for " + Ages.since(c.queuedSince(), now));
    }
    return parts;
  }

  /** The annotation's command when the controller has not handled it yet. */
  private static Optional<String> pendingCommand(Canary canary, ControlStatus control) {
    var annotations = canary.getMetadata().getAnnotations();
    String json = annotations == null ? null : annotations.get(ControlCommand.ANNOTATION);
    if (json == null) {
      return Optional.empty();
    }
    try {
      ControlCommand cmd = ControlCommand.parse(json);
      if (cmd.id().equals(control.lastCommandId())) {
        return Optional.empty();
      }
      String gate = cmd.gate() == null ? "" : " " + cmd.gate();
      return Optional.of(
          cmd.action().value()
              + gate
              + " by "
              + cmd.requester()
              + " (id "
              + cmd.id()
              + "), not acknowledged yet");
    } catch (IllegalArgumentException e) {
      return Optional.of("unreadable annotation: " + e.getMessage());
    }
  }

  private static String lastCommand(ControlStatus c, Instant now) {
    StringBuilder b = new StringBuilder();
    b.append(Objects.requireNonNullElse(c.lastCommandAction(), "?"));
    b.append(' ').append(Objects.requireNonNullElse(c.lastCommandResult(), "?"));
    if (c.lastCommandTime() != null) {
      b.append(' ').append(Ages.since(c.lastCommandTime(), now)).append(" ago");
    }
    if (c.lastCommandMessage() != null) {
      b.append(": ").append(c.lastCommandMessage());
    }
    return b.toString();
  }

  private static void checks(StringBuilder out, AnalysisDecision last, Instant now) {
    if (last == null) {
      out.append("Checks:           none yet\n");
      return;
    }
    out.append("Checks (last analysis ")
        .append(Ages.since(last.time(), now))
        .append(" ago, ")
        .append(Objects.requireNonNullElse(last.decision(), "?"))
        .append("):\n");
    List<CheckResult> checks = last.checks() == null ? List.of() : last.checks();
    if (checks.isEmpty()) {
      out.append("  no metric checks\n");
      return;
    }
    Table t = new Table("METRIC", "VALUE", "THRESHOLD", "RESULT");
    for (CheckResult c : checks) {
      String result = Objects.requireNonNullElse(c.result(), "?");
      if (c.message() != null) {
        result += ": " + c.message();
      }
      t.row(c.name(), number(c.value()), threshold(c.min(), c.max()), result);
    }
    out.append(t.render("  "));
  }

  private static void gates(StringBuilder out, Canary canary, ControlStatus control) {
    List<CanaryWebhook> hooks = Gates.webhooks(canary);
    Set<String> approved = new LinkedHashSet<>(control.approvedGatesOrEmpty());
    if (hooks.isEmpty() && approved.isEmpty()) {
      out.append("Gates:            none\n");
      return;
    }
    String waiting = Gates.waitingAt(canary).orElse(null);
    out.append("Gates:\n");
    Table t = new Table("GATE", "WEBHOOK", "STATE");
    for (CanaryWebhook w : hooks) {
      String type = Gates.type(w);
      t.row(type, w.name(), gateState(type, waiting, approved.remove(type)));
    }
    for (String gate : approved) {
      t.row(gate, "-", gateState(gate, waiting, true));
    }
    out.append(t.render("  "));
  }

  private static String gateState(String gate, String waiting, boolean approved) {
    if (approved) {
      return "approved, opens once";
    }
    return gate.equals(waiting) ? "waiting for approval" : "-";
  }

  private static void events(StringBuilder out, List<Event> events, Instant now) {
    if (events.isEmpty()) {
      out.append("Events:           none\n");
      return;
    }
    List<Event> sorted =
        events.stream()
            .sorted(
                Comparator.comparing(
                    StatusView::eventTime, Comparator.nullsFirst(Comparator.naturalOrder())))
            .toList();
    List<Event> last = sorted.subList(Math.max(0, sorted.size() - EVENTS), sorted.size());
    out.append("Events:\n");
    Table t = new Table("AGE", "TYPE", "REASON", "MESSAGE");
    for (Event e : last) {
      Instant at = eventTime(e);
      t.row(
          at == null ? "<unknown>" : Ages.human(java.time.Duration.between(at, now)),
          e.getType(),
          e.getReason(),
          e.getMessage());
    }
    out.append(t.render("  "));
  }

  /** When the event last happened: lastTimestamp, eventTime, firstTimestamp, creation. */
  static Instant eventTime(Event e) {
    List<String> times = new ArrayList<>();
    times.add(e.getLastTimestamp());
    times.add(e.getEventTime() == null ? null : e.getEventTime().getTime());
    times.add(e.getFirstTimestamp());
    times.add(e.getMetadata() == null ? null : e.getMetadata().getCreationTimestamp());
    return times.stream().map(Ages::parse).filter(Objects::nonNull).findFirst().orElse(null);
  }

  private static void decisions(
      StringBuilder out, Canary canary, List<AnalysisDecision> decisions, Instant now) {
    if (decisions.isEmpty()) {
      out.append("Decisions:        none yet\n");
      return;
    }
    List<AnalysisDecision> last =
        decisions.subList(Math.max(0, decisions.size() - DECISIONS), decisions.size());
    out.append("Decisions (newest last):\n");
    boolean iterates = Progress.iterates(canary);
    Table t = new Table("AGE", "PHASE", iterates ? "ITERATION" : "WEIGHT", "DECISION", "MESSAGE");
    for (AnalysisDecision d : last) {
      Integer at = iterates ? d.iteration() : d.canaryWeight();
      t.row(
          Ages.since(d.time(), now),
          d.phase(),
          at == null ? "-" : at + (iterates ? "" : "%"),
          d.decision(),
          d.message());
    }
    out.append(t.render("  "));
  }

  private static String threshold(Double min, Double max) {
    if (min != null && max != null) {
      return number(min) + ".." + number(max);
    }
    if (min != null) {
      return ">= " + number(min);
    }
    if (max != null) {
      return "<= " + number(max);
    }
    return "-";
  }

  /** Up to two decimals, no trailing zeros: {@code 99.5}, {@code 500}, {@code 0.01}. */
  static String number(Double v) {
    if (v == null) {
      return "-";
    }
    if (v.isNaN() || v.isInfinite()) {
      return v.toString();
    }
    return BigDecimal.valueOf(v)
        .setScale(2, RoundingMode.HALF_UP)
        .stripTrailingZeros()
        .toPlainString();
  }
}
