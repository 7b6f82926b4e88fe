package app.flagger.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.canary.Canary;
import app.flagger.model.support.Yaml;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which {@code autoscalerRef} kinds a Canary is accepted with: the ones the controller reconciles,
 * whatever apiVersion they name (Flagger picks the reconciler by kind alone).
 */
class AutoscalerRefValidationTest {
  private static List<String> errors(String apiVersion, String kind) {
    String yaml =
        "apiVersion: flagger.app/v1beta1\n"
            + "kind: Canary\n"
            + "metadata: {name: podinfo, namespace: test}\n"
            + "spec:\n"
            + "  provider: kubernetes\n"
            + "  targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}\n"
            + "  autoscalerRef: {apiVersion: "
            + apiVersion
            + ", kind: "
            + kind
            + ", name: podinfo}\n"
            + "  service: {port: 9898}\n"
            + "  analysis: {interval: 1m, threshold: 5, iterations: 10}\n";
    Canary c = Yaml.as(Yaml.documents(yaml).get(0), Canary.class);
    return new CanaryValidator().validate(c).stream().map(ValidationError::toString).toList();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "autoscaling/v2, HorizontalPodAutoscaler",
    "autoscaling/v2beta2, HorizontalPodAutoscaler",
    "keda.sh/v1alpha1, ScaledObject"
  })
  void anHpaOrAScaledObjectIsAccepted(String apiVersion, String kind) {
    assertThat(errors(apiVersion, kind)).isEmpty();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"keda.sh/v1alpha1, ScaledJob", "autoscaling.k8s.io/v1, VerticalPodAutoscaler"})
  void anyOtherKindIsRefusedNamingTheField(String apiVersion, String kind) {
    assertThat(errors(apiVersion, kind))
        .containsExactly(
            "spec.autoscalerRef.kind: must be HorizontalPodAutoscaler or ScaledObject, got '"
                + kind
                + "'");
  }
}
