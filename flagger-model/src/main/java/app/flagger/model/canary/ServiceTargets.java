package app.flagger.model.canary;

import app.flagger.model.common.LocalObjectReference;
import app.flagger.model.provider.MeshProvider;
import java.util.List;
import java.util.Optional;

/**
 * The rules of a Canary whose {@code targetRef.kind} is {@code Service}. A plain {@code v1} Service
 * has no pods of its own: Flagger copies it to {@code <target>-primary} and {@code <target>-canary}
 * and the mesh router shifts traffic between those two, so only providers whose routes name
 * Services work. A {@code serving.knative.dev/v1} Service is a Knative target and goes with the
 * {@code knative} provider only (Flagger's {@code verifyKnativeCanary}).
 */
public final class ServiceTargets {
  /** The apiVersion of a Knative Service target. */
  public static final String KNATIVE_API_VERSION = "serving.knative.dev/v1";

  /**
   * The {@code spec.provider} values a plain Service target works with: every implemented router
   * that routes to the {@code -primary} and {@code -canary} Services by name. Not {@code knative}
   * (Flagger refuses a non-Knative target with it) nor {@code appmesh:v1beta2} (its virtual nodes
   * select pods by the target's selector label, which a Service target does not have).
   */
  public static final List<String> PROVIDERS =
      MeshProvider.IMPLEMENTED_VALUES.stream()
          .filter(p -> !p.equals("knative") && !p.startsWith("appmesh:v1beta2"))
          .toList();

  private ServiceTargets() {}

  /** Whether {@code ref} is a Service, plain or Knative. */
  public static boolean isService(LocalObjectReference ref) {
    return ref != null && TargetKind.SERVICE.value().equals(ref.kind());
  }

  /** Whether {@code ref} is a Knative Service. */
  public static boolean isKnative(LocalObjectReference ref) {
    return isService(ref) && KNATIVE_API_VERSION.equals(ref.apiVersion());
  }

  /** Whether {@code ref} is a plain Kubernetes Service. */
  public static boolean isPlainService(LocalObjectReference ref) {
    return isService(ref) && !isKnative(ref);
  }

  /**
   * Why a plain Service target cannot be used with {@code provider}; empty when it can. A provider
   * outside the CRD's list (such as {@code smi:v1alpha3:linkerd} given to the controller) is judged
   * by its family.
   */
  public static Optional<String> refusal(String provider) {
    if (provider == null || provider.isBlank()) {
      return Optional.empty();
    }
    String p = provider.trim();
    boolean knative = MeshProvider.parse(p).orElse(null) == MeshProvider.KNATIVE;
    if (!knative && !p.startsWith("appmesh:v1beta2")) {
      return Optional.empty();
    }
    return Optional.of(
        "kind Service cannot be used with provider '"
            + p
            + "'"
            + (knative
                ? " (the knative provider needs a Knative Service, apiVersion "
                    + KNATIVE_API_VERSION
                    + ")"
                : " (its virtual nodes select the target's pods by label)")
            + "; a Service target works with "
            + String.join(", ", PROVIDERS));
  }
}
