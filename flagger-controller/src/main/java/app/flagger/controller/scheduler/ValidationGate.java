package app.flagger.controller.scheduler;

import app.flagger.controller.canary.StatusConditions;
import app.flagger.model.canary.Canary;
import app.flagger.model.common.Condition;
import app.flagger.model.validation.CanaryValidator;
import app.flagger.model.validation.ValidationError;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Refuses Canaries the validator rejects: a Warning event and a {@code Validated=False} condition
 * listing every problem (written once per distinct set of problems), and nothing else is touched.
 */
final class ValidationGate {
  private final AdvancerDeps deps;
  private final CanaryValidator validator = new CanaryValidator();

  ValidationGate(AdvancerDeps deps) {
    this.deps = deps;
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
      deps.events().warn(canary, "invalid canary spec: " + text);
      deps.status().markInvalid(canary, text);
    }
    return false;
  }

  List<ValidationError> problems(Canary canary) {
    List<ValidationError> problems = new java.util.ArrayList<>(validator.validate(canary));
    if (deps.config().noCrossNamespaceRefs()) {
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
