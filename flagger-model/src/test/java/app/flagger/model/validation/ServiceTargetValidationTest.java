package app.flagger.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.ServiceTargets;
import app.flagger.model.provider.MeshProvider;
import app.flagger.model.support.Yaml;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which providers a {@code targetRef.kind: Service} Canary is accepted with. */
class ServiceTargetValidationTest {
  private static List<String> errors(String provider, String apiVersion) {
    String yaml =
        "apiVersion: flagger.app/v1beta1\n"
            + "kind: Canary\n"
            + "metadata: {name: podinfo, namespace: test}\n"
            + "spec:\n"
            + (provider == null ? "" : "  provider: " + provider + "\n")
            + "  targetRef: {apiVersion: "
            + apiVersion
            + ", kind: Service, name: podinfo}\n"
            // the Ingress nginx and skipper copy, the route apisix copies (ignored by the others)
            + "  ingressRef: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: podinfo}\n"
            + "  routeRef: {apiVersion: apisix.apache.org/v2, kind: ApisixRoute, name: podinfo}\n"
            + "  service: {port: 9898}\n"
            + "  analysis: {interval: 1m, threshold: 5, stepWeight: 10}\n";
    Canary c = Yaml.as(Yaml.documents(yaml).get(0), Canary.class);
    return new CanaryValidator().validate(c).stream().map(ValidationError::toString).toList();
  }

  static List<String> supported() {
    return ServiceTargets.PROVIDERS;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("supported")
  void aServiceTargetIsAcceptedWithEveryProviderThatRoutesServices(String provider) {
    assertThat(errors(provider, "v1")).isEmpty();
  }

  @Test
  void aServiceTargetWithoutProviderIsLeftToTheController() {
    assertThat(errors(null, "v1")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"knative", "appmesh:v1beta2"})
  void aServiceTargetIsRefusedNamingKindAndProvider(String provider) {
    assertThat(errors(provider, "v1"))
        .filteredOn(e -> e.startsWith("spec.targetRef"))
        .singleElement()
        .asString()
        .startsWith(
            "spec.targetRef.kind: kind Service cannot be used with provider '" + provider + "'")
        .contains("; a Service target works with ")
        .contains(" gatewayapi:v1, ");
  }

  @Test
  void theSupportedProvidersAreTheImplementedOnesButKnativeAndAppMeshV1beta2() {
    assertThat(MeshProvider.IMPLEMENTED_VALUES).containsAll(ServiceTargets.PROVIDERS);
    assertThat(ServiceTargets.PROVIDERS)
        .contains("gatewayapi:v1", "gatewayapi:v1beta1", "istio", "kubernetes", "appmesh")
        .doesNotContain("knative", "appmesh:v1beta2");
  }

  @Test
  void aKnativeServiceTargetNeedsTheKnativeProvider() {
    assertThat(errors("knative", "serving.knative.dev/v1"))
        .noneMatch(e -> e.startsWith("spec.targetRef"));
    assertThat(errors(null, "serving.knative.dev/v1"))
        .containsExactly(
            "spec.provider: can't use '' provider with Knative Service as target, expected knative");
  }
}
