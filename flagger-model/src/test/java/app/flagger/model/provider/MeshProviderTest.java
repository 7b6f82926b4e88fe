package app.flagger.model.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MeshProviderTest {
  @Test
  void theImplementedValuesAreTheCrdValuesOfTheRoutedFamilies() {
    assertThat(MeshProvider.IMPLEMENTED_VALUES)
        .contains(
            "appmesh",
            "appmesh:v1beta2",
            "contour",
            "gatewayapi:v1",
            "gatewayapi:v1beta1",
            "istio",
            "kubernetes",
            "kuma",
            "linkerd",
            "nginx",
            "osm",
            "smi:v1alpha1",
            "smi:v1alpha2",
            "smi:v1alpha3");
    assertThat(MeshProvider.CRD_VALUES).containsAll(MeshProvider.IMPLEMENTED_VALUES);
    // in the CRD's order, a CRD value is implemented exactly when its family is
    assertThat(MeshProvider.IMPLEMENTED_VALUES)
        .containsExactlyElementsOf(
            MeshProvider.CRD_VALUES.stream()
                .filter(v -> MeshProvider.parse(v).orElseThrow().implemented())
                .toList());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "istio",
        "gatewayapi:v1",
        "smi:v1alpha3",
        "smi:v1alpha3:linkerd",
        "smi:v1alpha1:istio"
      })
  void routedProvidersAreImplemented(String provider) {
    assertThat(MeshProvider.isImplemented(provider)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "gatewayapi",
        "gatewayapi:v1alpha2",
        "smi",
        "smi:v1alpha4",
        "smi:v1alpha3:",
        "smi:v1alpha3:a:b",
        "istoi",
        ""
      })
  void otherProvidersAreNot(String provider) {
    assertThat(MeshProvider.isImplemented(provider)).isFalse();
  }

  @Test
  void theMessageTellsAKnownFamilyFromAnUnknownString() {
    MeshProvider.CRD_VALUES.stream()
        .filter(p -> !MeshProvider.isImplemented(p))
        .findFirst()
        .ifPresent(
            pending ->
                assertThat(MeshProvider.notImplementedMessage(pending))
                    .startsWith(
                        "provider '"
                            + pending
                            + "' is not implemented by this controller yet, expected one of ")
                    .contains(" smi:v1alpha3"));
    assertThat(MeshProvider.notImplementedMessage("istoi"))
        .startsWith("unknown provider 'istoi', expected one of ")
        .contains(" gatewayapi:v1, ");
  }
}
