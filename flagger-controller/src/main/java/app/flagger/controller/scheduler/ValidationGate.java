package app.flagger.controller.scheduler;

import app.flagger.controller.canary.StatusConditions;
import app.flagger.controller.canary.StatusWriter;
import app.flagger.controller.events.CanaryEvents;
import app.flagger.model.canary.Canary;
import app.flagger.model.common.Condition;
import app.flagger.model.validation.CanaryValidator;
import app.flagger.model.validation.ValidationError;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Refuses Canaries the validator rejects: a Warning event and a {@code Validated=False} condition
 * listing every problem (written once per distinct set of problems), and nothing else is touched.
 */
public final class ValidationGate {
  private final CanaryValidator validator = new CanaryValidator();
  private final CanaryEvents events;
  private final StatusWriter status;
  private final boolean noCrossNamespaceRefs;

  /**
   * @param noCrossNamespaceRefs also refuse references to other namespaces ({@code
   *     no-cross-namespace-refs})
   */
  public ValidationGate(CanaryEvents events, StatusWriter status, boolean noCrossNamespaceRefs) {
    this.events = events;
    this.status = status;
    this.noCrossNamespaceRefs = noCrossNamespaceRefs;
  }

  /** True when the Canary is valid. */
  boolean check(Canary canary) {
    List<ValidationError> problems = problems(canary);
    if (problems.isEmpty()) {
      return true;
    }
    String text =
        problems.stream().map(ValidationError::toString).collect(Collectors.joining("; "));
    if (!alreadyReported(canary, text)) {
      events.warn(canary, "invalid canary spec: " + text);
      status.markInvalid(canary, text);
    }
    return false;
  }

  List<ValidationError> problems(Canary canary) {
    List<ValidationError> problems = new ArrayList<>(validator.validate(canary));
    if (noCrossNamespaceRefs) {
      problems.addAll(CrossNamespaceRefs.check(canary));
    }
    return problems;
  }

  private static boolean alreadyReported(Canary canary, String text) {
    if (canary.getStatus() == null) {
      return false;
    }
    return canary.getStatus().conditionsOrEmpty().stream()
        .filter(c -> StatusConditions.VALIDATED.equals(c.type()))
        .map(Condition::message)
        .anyMatch(text::equals);
  }
}
