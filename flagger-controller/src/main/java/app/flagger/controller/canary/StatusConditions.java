package app.flagger.controller.canary;

import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanaryStatus;
import app.flagger.model.common.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * Flagger's {@code MakeStatusConditions}: the {@code Promoted} condition for a phase, replaced only
 * when its status or reason changes (the transition time kept when only the reason changes). Also
 * the {@code Validated} condition listing the problems of an invalid spec.
 */
public final class StatusConditions {
  /** Type of the condition of a Canary waiting for a release slot (the concurrency limit). */
  public static final String QUEUED = "Queued";

  /** Type of the condition describing spec problems. */
  public static final String VALIDATED = "Validated";

  private StatusConditions() {}

  public static List<Condition> promoted(
      List<Condition> current, CanaryPhase phase, String kind, String now) {
    String status = status(phase);
    String message = message(phase, kind);
    Condition old =
        current == null
            ? null
            : current.stream()
                .filter(c -> CanaryStatus.PROMOTED_CONDITION.equals(c.type()))
                .findFirst()
                .orElse(null);
    List<Condition> queued =
        current == null
            ? List.of()
            : current.stream().filter(c -> QUEUED.equals(c.type())).toList();
    if (old != null && old.status().equals(status) && phase.value().equals(old.reason())) {
      return withQueued(old, queued);
    }
    String transition = old != null && old.status().equals(status) ? old.lastTransitionTime() : now;
    return withQueued(
        new Condition(
            CanaryStatus.PROMOTED_CONDITION, status, now, transition, phase.value(), message),
        queued);
  }

  /** The Promoted condition, then a Queued one the concurrency limit keeps until it clears it. */
  private static List<Condition> withQueued(Condition promoted, List<Condition> queued) {
    if (queued.isEmpty()) {
      return List.of(promoted);
    }
    List<Condition> out = new ArrayList<>();
    out.add(promoted);
    out.addAll(queued);
    return out;
  }

  /** The conditions with a {@code Validated=False} condition carrying {@code problems}. */
  public static List<Condition> invalid(List<Condition> current, String problems, String now) {
    List<Condition> out = new ArrayList<>();
    if (current != null) {
      current.stream().filter(c -> !VALIDATED.equals(c.type())).forEach(out::add);
    }
    out.add(new Condition(VALIDATED, "False", now, now, "InvalidSpec", problems));
    return out;
  }

  static String status(CanaryPhase phase) {
    return switch (phase) {
      case INITIALIZED, SUCCEEDED -> "True";
      case FAILED -> "False";
      default -> "Unknown";
    };
  }

  static String message(CanaryPhase phase, String kind) {
    return switch (phase) {
      case INITIALIZED -> kind + " initialization completed.";
      case WAITING, WAITING_PROMOTION -> "Waiting for approval.";
      case PROGRESSING -> "New revision detected, progressing canary analysis.";
      case PROMOTING -> "Canary analysis completed, starting primary rolling update.";
      case FINALISING -> "Canary analysis completed, routing all traffic to primary.";
      case SUCCEEDED -> "Canary analysis completed successfully, promotion finished.";
      case FAILED -> "Canary analysis failed, " + kind + " scaled to zero.";
      default -> "New " + kind + " detected, starting initialization.";
    };
  }
}
