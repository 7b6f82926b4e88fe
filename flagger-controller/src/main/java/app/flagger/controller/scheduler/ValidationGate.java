package app.flagger.controller.scheduler;

import app.flagger.controller.canary.StatusConditions;
import app.flagger.controller.canary.StatusWriter;
import app.flagger.controller.events.CanaryEvents;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.common.Condition;
import app.flagger.model.provider.MeshProvider;
import app.flagger.model.provider.Provider;
import app.flagger.model.validation.CanaryValidator;
import app.flagger.model.validation.ValidationError;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
  private final String defaultProvider;

  /**
   * @param noCrossNamespaceRefs also refuse references to other namespaces ({@code
   *     no-cross-namespace-refs})
   * @param defaultProvider the controller's {@code mesh-provider}, for the checks that depend on a
   *     Canary's provider (null: only Canaries that set {@code spec.provider} are checked)
   */
  public ValidationGate(
      CanaryEvents events,
      StatusWriter status,
      boolean noCrossNamespaceRefs,
      String defaultProvider) {
    this.events = events;
    this.status = status;
    this.noCrossNamespaceRefs = noCrossNamespaceRefs;
    this.defaultProvider = defaultProvider;
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
    baselineProvider(canary).ifPresent(problems::add);
    return problems;
  }

  /**
   * A same-age baseline needs a router that splits traffic three ways: the istio and gatewayapi
   * providers (the model's validator cannot see the controller's default provider).
   */
  private Optional<ValidationError> baselineProvider(Canary canary) {
    CanaryAnalysis a = canary.getSpec() == null ? null : canary.getSpec().analysisOrLegacy();
    if (a == null || !a.usesBaseline()) {
      return Optional.empty();
    }
    String own = canary.getSpec().provider();
    if (!Provider.isSet(own) && !Provider.isSet(defaultProvider)) {
      return Optional.empty();
    }
    Provider provider = Provider.resolve(own, defaultProvider);
    if (provider.is(MeshProvider.ISTIO) || provider.is(MeshProvider.GATEWAYAPI)) {
      return Optional.empty();
    }
    return Optional.of(
        new ValidationError(
            canary.getSpec().analysis() != null
                ? "spec.analysis.baseline"
                : "spec.canaryAnalysis.baseline",
            "supported with the istio and gatewayapi providers, not " + provider));
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
